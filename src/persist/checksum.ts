// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) over a record's bytes: catches truncation and
// bit rot in stored data; not a defence against tampering (stored data is never executed).

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  return crc32Final(crc32Update(CRC32_START, bytes));
}

/** In parts (for large files checked in slices): crc32Final(crc32Update(crc32Update(CRC32_START, a), b)) = crc32(a ++ b). */
export const CRC32_START = 0xffffffff;
export function crc32Update(crc: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}
export const crc32Final = (crc: number) => (crc ^ 0xffffffff) >>> 0;

/** Bytes crc32Sliced checks between two yields (a few ms of work). */
export const CRC32_SLICE_BYTES = 1 << 20;

/**
 * crc32 of large bytes without holding up the thread: CRC32_SLICE_BYTES at a time, yielding in
 * between (a stored checkpoint can be 100 MiB; the page must not freeze while it is checked).
 */
export async function crc32Sliced(bytes: Uint8Array, pause: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, 0))): Promise<number> {
  let crc = CRC32_START;
  for (let offset = 0; offset < bytes.length; offset += CRC32_SLICE_BYTES) {
    if (offset > 0) await pause();
    crc = crc32Update(crc, bytes.subarray(offset, offset + CRC32_SLICE_BYTES));
  }
  return crc32Final(crc);
}

export const hex32 = (value: number) => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
