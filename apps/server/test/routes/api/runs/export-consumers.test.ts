/**
 * Every export of every fixture, each read back by a real consumer (export-checks.ts). One
 * upload per fixture serves the five exports.
 */
import { listProfiles } from '@profhub/fixtures'
import { describe, it } from 'vitest'
import { build } from '../../../helper.ts'
import {
  checkCallgrind,
  checkCsv,
  checkPstats,
  checkSpeedscope,
  uploadForExports,
} from './export-checks.ts'

describe.each(listProfiles())('%s', (fixture) => {
  it('exports what pstats, a CSV parser, callgrind_annotate and speedscope’s schema read as the run', async () => {
    const { app } = await build()
    const uploaded = await uploadForExports(app, fixture)
    await checkPstats(uploaded)
    await checkCsv(uploaded)
    await checkCallgrind(uploaded)
    await checkSpeedscope(uploaded)
  }, 180_000)
})
