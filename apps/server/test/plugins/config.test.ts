import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/plugins/app/config.ts'

describe('the store settings', () => {
  it('keeps the embedded store when nothing is set', () => {
    const config = parseConfig({})
    expect([config.databaseUrl, config.objectStorage]).toEqual([null, null])
  })

  it('reads a PostgreSQL URL and an S3-compatible bucket with its credentials', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgres://profhub:secret@db:5432/profhub',
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'runs',
      AWS_ACCESS_KEY_ID: 'key',
      AWS_SECRET_ACCESS_KEY: 'secret',
    })
    expect(config.databaseUrl).toBe('postgres://profhub:secret@db:5432/profhub')
    expect(config.objectStorage).toEqual({
      endpoint: 'http://minio:9000',
      bucket: 'runs',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    })
    const aws = parseConfig({
      DATABASE_URL: 'postgresql://db/profhub',
      S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
      S3_BUCKET: 'runs',
      AWS_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: 'false',
    }).objectStorage
    expect(aws).toMatchObject({ region: 'eu-west-1', forcePathStyle: false, credentials: null })
  })

  it.each([
    [{ DATABASE_URL: 'mysql://db/profhub' }, /DATABASE_URL must be a PostgreSQL URL/],
    [
      { DATABASE_URL: 'postgres://db/p', S3_ENDPOINT: 'http://minio:9000' },
      /both S3_ENDPOINT and S3_BUCKET/,
    ],
    [{ S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'runs' }, /set DATABASE_URL too/],
    [
      {
        DATABASE_URL: 'postgres://db/p',
        S3_ENDPOINT: 'http://m',
        S3_BUCKET: 'r',
        S3_FORCE_PATH_STYLE: 'yes',
      },
      /S3_FORCE_PATH_STYLE must be "true" or "false"/,
    ],
    [
      {
        DATABASE_URL: 'postgres://db/p',
        S3_ENDPOINT: 'http://m',
        S3_BUCKET: 'r',
        AWS_ACCESS_KEY_ID: 'k',
      },
      /both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither/,
    ],
  ])('refuses to start with %o', (env, message) => {
    expect(() => parseConfig(env)).toThrow(message)
  })
})
