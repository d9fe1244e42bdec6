import type { SeriesFunctions } from '@profhub/profile'
import type { ProfileMeta } from './profile-workers.ts'

export interface ShimInput {
  path: string
  /** The client's name for the file, for messages (untrusted text). */
  fileName: string
}

export interface ConvertedProfile {
  /** What the run's row keeps of the document (checked in a worker thread). */
  meta: ProfileMeta
  /** The rows the run adds to its series (worked out with the check, in the worker). */
  series: SeriesFunctions
  /**
   * The file the shim wrote the document to (in DATA_DIR/tmp, on the run files' file system):
   * stored as is, never read by the main thread. The caller owns it (moves or removes it).
   */
  jsonPath: string
}
