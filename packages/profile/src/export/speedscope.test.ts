import { describe, expect, it } from 'vitest'
import { writeProfileDocument } from '../document.ts'
import { graphFromStacks } from '../testing.ts'
import { buildSpeedscopeFile, formatSpeedscope } from './speedscope.ts'

/** The events as `O name @at` / `C name @at` lines. */
function eventLines(stacks: string, maxNodes?: number): string[] {
  const file = buildSpeedscopeFile(writeProfileDocument(graphFromStacks(stacks)), {
    name: 'run',
    tree: maxNodes === undefined ? undefined : { maxNodes },
  })
  const [profile] = file.profiles
  return profile!.events.map((e) => `${e.type} ${file.shared.frames[e.frame]!.name} @${e.at}`)
}

describe('buildSpeedscopeFile', () => {
  it('opens each node at its start and closes it after its children and its own time', () => {
    expect(eventLines('main;a 2\nmain;b 1\nmain 0.5\nother 4')).toEqual([
      'O other @0',
      'C other @4',
      'O main @4',
      'O a @4',
      'C a @6',
      'O b @6',
      'C b @7',
      'C main @7.5',
    ])
  })

  it('estimates a child’s share from its callers, as the charts do', () => {
    // call-tree.ts' worked example: pstats cannot tell that c ran mostly under main;a.
    const lines = eventLines('main;a;c 4\nmain;a;d 1\nmain;b;a;c 1\nmain;b;a;d 4')
    expect(lines).toEqual([
      'O main @0',
      'O a @0',
      'O c @0',
      'C c @2.5',
      'O d @2.5',
      'C d @5',
      'C a @5',
      'O b @5',
      'O a @5',
      'O c @5',
      'C c @7.5',
      'O d @7.5',
      'C d @10',
      'C a @10',
      'C b @10',
      'C main @10',
    ])
  })

  it('says the tree is estimated, in the file, the profile and the exporter', () => {
    const file = JSON.parse(
      formatSpeedscope(writeProfileDocument(graphFromStacks('a 1')), { name: 'r' }),
    )
    expect(file).toMatchObject({
      $schema: 'https://www.speedscope.app/file-format-schema.json',
      name: 'r (call tree estimated from pstats caller totals)',
      exporter: 'profhub (call tree estimated from pstats caller totals)',
      shared: { frames: [{ name: 'a', file: 't.py', line: 1 }] },
      profiles: [
        {
          type: 'evented',
          name: 'r (call tree estimated from pstats caller totals)',
          unit: 'seconds',
          startValue: 0,
          endValue: 1,
        },
      ],
    })
  })

  it('stays within the node limit: what is cut off shows as its parent’s own time', () => {
    expect(eventLines('main;a;b 1\nmain;c 1', 3)).toEqual([
      'O main @0',
      'O a @0',
      'C a @1',
      'O c @1',
      'C c @2',
      'C main @2',
    ])
  })
})
