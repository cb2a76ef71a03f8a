#!/usr/bin/env node
// Runs the compiled build (dist/, from `npm run build`) when it is there and at least as
// new as every source file; otherwise the TypeScript sources directly through tsx, so a
// fresh clone needs no build step and an edited checkout never runs a stale build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist', 'src', 'cli.js');

/** The newest modification time of the files under dir (0 when dir is absent, as in the image). */
function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  let built;
  try {
    built = fs.statSync(compiled).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'commands')));
  return built >= sources;
}

// BASISBOT_TSX=1 runs the sources even when a current build exists (the process-start bench's
// "before", and stack traces that point at .ts lines); BASISBOT_TSX=0 runs the build whenever
// there is one, current or not (the bench's "after" in a tree that is being edited).
const choice = process.env.BASISBOT_TSX;
const useBuild = choice === '0' ? fs.existsSync(compiled) : choice !== '1' && compiledIsCurrent();
if (useBuild) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'src', 'cli.ts')).href);
}
