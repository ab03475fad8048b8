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
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const hex32 = (value: number) => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
