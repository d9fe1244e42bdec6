import {
  COMMON_HELP,
  COMMON_OPTIONS,
  type Command,
  UPLOAD_HELP,
  UPLOAD_OPTIONS,
} from '../command.ts'
import { EXIT, usageError } from '../errors.ts'
import { connect } from '../server-target.ts'
import { checkLocalFiles, parseUploadOptions, uploadAndPrint } from '../upload.ts'

export const uploadCommand: Command = {
  name: 'upload',
  summary: 'upload .prof files to a profhub server, print each run link',
  help: `Usage: profhub upload FILE.prof… [options]

Uploads each file as a run (or all of them as one, with --merge) and prints each run's link
on stdout, one per line, in the files' order. Every file is checked before anything is sent;
the first file the server refuses stops the upload (its message on stderr, exit code 1).

Options:
${UPLOAD_HELP}
${COMMON_HELP}`,
  options: { ...COMMON_OPTIONS, ...UPLOAD_OPTIONS },
  async run(values, positionals, env) {
    if (positionals.length === 0) throw usageError('give the .prof files to upload', 'upload')
    const options = parseUploadOptions(values, positionals.length, 'upload')
    const files = await checkLocalFiles(positionals)
    const client = await connect(values, env)
    await uploadAndPrint(client, files, options)
    return EXIT.ok
  },
}
