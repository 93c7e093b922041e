// Prints a Parquet file as JSON (key-value metadata, column names, rows) using hyparquet, a reader that shares no
// code with Parquet.Net, so Kanade.MLNet.Tests can check that other languages read Kanade's token files.
// Usage: node read.mjs FILE.parquet
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet'

const file = await asyncBufferFromFile(process.argv[2])
const metadata = await parquetMetadataAsync(file)
const rows = await parquetReadObjects({ file, metadata })
const columns = parquetSchema(metadata).children.map(child => ({
  name: child.element.name,
  type: child.element.type ?? null,
  logical: child.element.logical_type?.type ?? child.element.converted_type ?? null,
  repetition: child.element.repetition_type,
}))
const keyValues = Object.fromEntries((metadata.key_value_metadata ?? []).map(({ key, value }) => [key, value]))
const plain = value => typeof value === 'bigint' ? Number(value) : ArrayBuffer.isView(value) ? Array.from(value) : value
process.stdout.write(JSON.stringify({
  num_rows: Number(metadata.num_rows),
  row_groups: metadata.row_groups.length,
  columns,
  metadata: keyValues,
  rows: rows.map(row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? v.map(plain) : plain(v)]))),
}))
