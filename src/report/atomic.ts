/**
 * Atomic output writes for reports. The temp-file-and-rename itself is the shared helper in src/io/atomic.ts;
 * this adds a producer form: the content is computed first, so if rendering throws, nothing is written and
 * the previous file stays as it was.
 */
import { writeFileAtomic as writeBytesAtomic } from '../io/atomic.ts';

export type Content = string | Uint8Array;

export async function writeFileAtomic(file: string, content: Content | (() => Content | Promise<Content>)): Promise<void> {
  const data = typeof content === 'function' ? await content() : content;
  await writeBytesAtomic(file, data);
}
