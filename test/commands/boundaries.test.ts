import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const importsOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('architecture boundaries', () => {
  it('commands/ imports nothing from discord.js or telegraf', () => {
    const files = sourceFiles('commands');
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      expect(importsOf(file).filter((spec) => /^(discord\.js|telegraf|@discordjs\/)/.test(spec)), file).toEqual([]);
    }
  });

  it('only src/market imports ccxt, only src/store imports keyv, src/basis does no I/O', () => {
    for (const file of [...sourceFiles('src'), ...sourceFiles('commands')]) {
      const specs = importsOf(file);
      if (!file.startsWith(path.join('src', 'market'))) expect(specs.filter((s) => s === 'ccxt'), file).toEqual([]);
      if (!file.startsWith(path.join('src', 'store'))) expect(specs.filter((s) => /^(keyv|@keyv\/)/.test(s)), file).toEqual([]);
      if (file.startsWith(path.join('src', 'basis'))) expect(specs.filter((s) => s.startsWith('node:') || s === 'ccxt'), file).toEqual([]);
    }
  });
});
