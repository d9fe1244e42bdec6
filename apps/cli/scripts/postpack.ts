// After packing: the copies made by prepack.ts go (the repository runs apps/server directly).
import { removeCopies } from './prepack.ts'

await removeCopies()
