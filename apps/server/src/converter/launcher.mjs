// The process that starts the server's child processes (the converter, the brotli compressor)
// on its behalf. Node starts a child by fork() on Linux, and a fork copies the parent's page
// tables on its main thread: from a server of 600 MB that took 180-320 ms, during which no
// request was answered. This process stays small, so its forks are cheap, and the server only
// sends it a message. Plain JavaScript: it runs as is from the source tree and is bundled as
// dist/launcher.js.
//
// Request: {id, file, args, options} (execFile's options, plus `nice`, a CPU priority for the
// child). Answer: {id, error, stdout, stderr}, as execFile's callback has them. The child's
// environment gets PROFHUB_PARENT_PID, this process's pid: the converter asks the kernel to kill
// it when its parent dies, and checks the pid to tell whether that already happened.
import { execFile } from 'node:child_process'
import { setPriority } from 'node:os'
import process from 'node:process'

// The server died or closed: stop. The converters die with this process (PR_SET_PDEATHSIG);
// a compressor stops when its stdin, a pipe from here, ends.
process.on('disconnect', () => process.exit(0))

process.on('message', ({ id, file, args, options }) => {
  const { nice, ...execOptions } = options
  const env = { ...execOptions.env, PROFHUB_PARENT_PID: String(process.pid) }
  const answer = (error, stdout, stderr) =>
    process.send?.({ id, error: error && describe(error), stdout, stderr })
  let child
  try {
    child = execFile(file, args, { ...execOptions, env }, answer)
  } catch (error) {
    answer(error, '', '')
    return
  }
  if (nice !== undefined) {
    child.once('spawn', () => {
      try {
        setPriority(child.pid, nice)
      } catch {
        // not allowed here: the child runs at normal priority
      }
    })
  }
})

function describe(error) {
  return {
    message: String(error.message),
    code: error.code,
    killed: error.killed,
    signal: error.signal,
  }
}
