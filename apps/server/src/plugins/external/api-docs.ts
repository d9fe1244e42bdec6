import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import {
  ENVIRONMENT_PART_MAX_BYTES,
  MAX_FILES_PER_UPLOAD,
  MAX_SOURCE_FILES,
  MEMORY_PART_MAX_BYTES,
  SOURCE_FILE_MAX_BYTES,
  SOURCE_PART_MAX_BYTES,
} from '@profhub/api'
import { addCspSources } from '../../security-policy.ts'

// The OpenAPI document is generated from the routes' TypeBox schemas (the same ones that
// validate requests and serialize answers), so it cannot drift from what the server does.
// Browsable at /api/docs (Swagger UI), the document at /api/docs/json.

/** The upload's multipart body: not validated by a schema (it is streamed), so described here. */
const UPLOAD_BODY = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: {
            type: 'array',
            maxItems: MAX_FILES_PER_UPLOAD,
            items: { type: 'string', format: 'binary' },
            description: `One or more .prof files (pstats files from cProfile, profile, yappi, pstats.dump_stats), at most ${MAX_FILES_PER_UPLOAD}.`,
          },
          name: {
            type: 'string',
            maxLength: 200,
            description: "The run's name (default: the file name).",
          },
          mode: {
            type: 'string',
            enum: ['separate', 'merge'],
            description: 'Several files: one run each (separate, the default) or one merged run.',
          },
          label: {
            type: 'array',
            items: { type: 'string', pattern: '^[^=]+=.*$' },
            description: 'KEY=VALUE labels for the run, repeated.',
          },
          memory: {
            type: 'string',
            format: 'binary',
            contentMediaType: 'application/json',
            description: `A memory document (JSON, at most ${MEMORY_PART_MAX_BYTES / 1024 / 1024} MB; file part or field), as profhub.py run --memory writes it: {formatVersion: 1, tool: "tracemalloc", peakBytes, finalBytes, tracebackLimit, overheadNote?, lines: [{file, line, size, count}], tracebacks: [{size, count, frames: [{file, line}]}]}. Never a pickle (tracemalloc.Snapshot.dump is refused). Served back by GET /api/runs/{id}/memory.`,
          },
          source: {
            type: 'string',
            format: 'binary',
            contentMediaType: 'application/json',
            description: `The program's own files (JSON, at most ${SOURCE_PART_MAX_BYTES / 1024 / 1024} MB, each file at most ${SOURCE_FILE_MAX_BYTES / 1024} KB, at most ${MAX_SOURCE_FILES} files): {formatVersion: 1, files: [{path (as in the stats), text}]}. Served by GET /api/runs/{id}/source?file=.`,
          },
          environment: {
            type: 'string',
            format: 'binary',
            contentMediaType: 'application/json',
            description: `What the run ran on (JSON, at most ${ENVIRONMENT_PART_MAX_BYTES / 1024} KB): {formatVersion: 1, python: {version, implementation}, platform: {system, release, machine, node}, profiler: {name, clock}, command: [..], cwd, git: {commit, branch, dirty} | null, memory}, every field but formatVersion optional. Without it, the run's environment is guessed from the profile (guessed: true).`,
          },
        },
      },
    },
  },
}

const ERROR = {
  description: 'An error: a short reason and what a person should do',
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', examples: ['Not A Profile'] },
    message: { type: 'string', examples: ['The file is empty. Upload a .prof file written by …'] },
  },
}

export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'profhub',
          description:
            "A self-hosted viewer for Python profiles (.prof). Errors are `{error, message}` JSON. Run ids are unguessable: a run's URLs need only its id.",
          version: '1',
        },
        tags: [
          { name: 'runs', description: 'Uploaded profiles' },
          { name: 'exports', description: 'A run in other formats' },
          { name: 'series', description: 'Runs that share a label, and one function across them' },
          { name: 'server', description: 'Health, the Python client' },
        ],
      },
      // Page paths (the web app) are not API.
      transform: ({ schema, url, route }) => {
        const isApi = url.startsWith('/api/') || url === '/profhub.py'
        const hidden = !isApi || url.startsWith('/api/docs')
        // `/api/runs/` (the runs plugin's root) is documented as `/api/runs`, as people call it.
        const path = url.length > 1 ? url.replace(/\/$/, '') : url
        if (hidden) return { schema: { ...schema, hide: true }, url: path, route }
        // Every error is the same JSON shape (app.ts handleError): documented once for all.
        const response = { ...(schema?.response as object | undefined), '4XX': ERROR, '5XX': ERROR }
        return { schema: { ...schema, response }, url: path, route }
      },
      transformObject: (documentObject) => {
        if (!('openapiObject' in documentObject)) return documentObject.swaggerObject
        const post = documentObject.openapiObject.paths?.['/api/runs']?.post
        if (post) post.requestBody = UPLOAD_BODY as never
        return documentObject.openapiObject
      },
    })
    await fastify.register(swaggerUi, {
      routePrefix: '/api/docs',
      // Swagger UI's page loads its scripts as files, the initializer included
      // (/api/docs/static/swagger-initializer.js), so the app's script-src 'self' holds here too.
      // It does set inline styles that are not CSSOM (a blocked one is a console error and may
      // break its layout): these pages alone allow them. The rest of the policy is the app's,
      // FRAME_ANCESTORS included.
      transformStaticCSP: (header: string) =>
        addCspSources(header, 'style-src', ["'unsafe-inline'"]),
    })
  },
  { name: 'api-docs' },
)
