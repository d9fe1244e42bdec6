import compress, { type FastifyCompressOptions } from '@fastify/compress'

export const autoConfig: FastifyCompressOptions = {
  // Brotli first (the plugin's default quality 4 is fast), gzip for older clients.
  encodings: ['br', 'gzip'],
  // Request bodies are never compressed by our clients; inflating them would only let a small
  // upload expand into a huge one before any limit applies.
  globalDecompression: false,
}

// The plugin checks every reply with `instanceof Response`, and Node loads its fetch classes
// (undici) on first use: 40-50 ms of blocked event loop in the middle of the first upload.
// Loaded at startup instead.
void globalThis.Response

export default compress
