/**
 * Now, to the second, in UTC, as the ingesting party's clock says: the time
 * an ingested log's seal names (everything before it is unproven).
 * SOURCE_DATE_EPOCH (seconds) fixes it, so an ingest can be reproduced.
 */
export function ingestTime(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const ms = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : Date.now();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
