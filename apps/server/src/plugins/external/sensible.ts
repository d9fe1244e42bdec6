import sensible from '@fastify/sensible'

// httpErrors, reply.notFound() & co., for plugins and routes to come. Our routes throw
// `ApiError` (src/errors.ts) instead: it carries the contract's short reason ("Not A Profile").
export default sensible
