// Benchmark 1, the reference: the same derivative with sharp (libvips inside).
// Usage: node sharp_bench.mjs [--parallel N] [--rounds N] image...
// Reads the images into memory once, then makes each one's derivative
// (auto-oriented, inside 512x512, never enlarged, JPEG q80, metadata
// stripped: sharp's default), N images at a time, with libvips concurrency 1
// per image and sharp's operation cache off (the same input buffer is used
// again each round; a cache would answer from memory). Prints:
//   images=N seconds=S cpu_seconds=C images_per_sec=R images_per_cpu_sec=K
// (CPU time of the whole process, every thread, user + system).

import { readFileSync } from 'node:fs';
import sharp from 'sharp';

function parseArgs(argv) {
  const options = { parallel: 2, rounds: 5, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--parallel' || argv[i] === '--rounds') {
      const value = Number.parseInt(argv[++i], 10);
      if (!(value >= 1)) throw new Error(`${argv[i - 1]} takes a positive number`);
      options[argv[i - 1].slice(2)] = value;
    } else {
      options.files.push(argv[i]);
    }
  }
  if (options.files.length === 0) throw new Error('no images given');
  return options;
}

function thumbnail(buffer) {
  return sharp(buffer)
    .rotate()
    .resize(512, 512, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function run(images, total, parallel) {
  let next = 0;
  async function worker() {
    for (let i = next++; i < total; i = next++) {
      await thumbnail(images[i % images.length]);
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
}

const options = parseArgs(process.argv.slice(2));
sharp.concurrency(1);
sharp.cache(false);
const images = options.files.map((f) => readFileSync(f));

await run(images, images.length, options.parallel); // untimed warm-up pass
const total = images.length * options.rounds;
const cpuStart = process.cpuUsage();
const start = process.hrtime.bigint();
await run(images, total, options.parallel);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  `images=${total} seconds=${seconds.toFixed(3)} cpu_seconds=${cpuSeconds.toFixed(3)} ` +
    `images_per_sec=${(total / seconds).toFixed(2)} ` +
    `images_per_cpu_sec=${(total / cpuSeconds).toFixed(2)}`,
);
