import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';

/** Flexible-checksum algorithms S3 accepts, by their header suffix (x-amz-checksum-<name>). */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** A checksum as S3 reports it: algorithm and base64 of the big-endian digest. */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

/** Type guard for a header suffix naming a supported checksum algorithm. */
export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/** Computes one flexible checksum of the bytes, base64 as in x-amz-checksum-* headers. */
export async function computeChecksum(algorithm: ChecksumAlgorithm, bytes: Buffer): Promise<string> {
  switch (algorithm) {
    case 'crc32': {
      const digest = Buffer.alloc(4);
      digest.writeUInt32BE(crc32(bytes));
      return digest.toString('base64');
    }
    case 'crc32c': {
      const hash = new Crc32c();
      hash.update(bytes);
      const digest = Buffer.alloc(4);
      digest.writeUInt32BE(hash.digest() >>> 0);
      return digest.toString('base64');
    }
    case 'crc64nvme': {
      const hash = new Crc64Nvme();
      hash.update(bytes);
      return Buffer.from(await hash.digest()).toString('base64');
    }
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(bytes).digest('base64');
  }
}

type Crc32 = (data: Uint8Array) => number;
// zlib.crc32 is native (~1 GB/s) but only exists from Node 20.15; the engines field allows 20.9.
const nativeCrc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;
let crcTable: Uint32Array | undefined;

/** CRC32 (IEEE), native when the runtime has it. */
export function crc32(bytes: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(bytes) >>> 0 : crc32ByTable(bytes);
}

/** CRC32 (IEEE) in JavaScript, for runtimes without zlib.crc32. */
export function crc32ByTable(bytes: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, index) => {
    let value = index;
    for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    return value >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** MD5 hex digest, used for ETags. */
export function md5Hex(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}
