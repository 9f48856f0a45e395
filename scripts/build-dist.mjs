// build-dist.mjs: `npm run build`: writes dist/, a self-contained static copy of the page (HTML, app,
// lib, both wasm builds, the chart library, the icon), the embed (embed/gradlab-embed.js, embed.html)
// and the sample course page (examples/course-page.html), that works from any static host under any
// sub-path, because every reference inside it is relative. No server code goes in. Afterwards every
// reference in its HTML, CSS and JS is resolved inside dist/ and the build fails on one that is
// missing or absolute (an absolute path would break under a sub-path).
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm, root } from './build.mjs';
import { ensureNodeModules } from './deps.mjs';

/** The files the chart library contributes, copied to dist/vendor/uplot/ (the page's import path). */
const UPLOT_FILES = ['uPlot.esm.js', 'uPlot.min.css'];
/** The sample course page, copied to dist/examples/ so its '../embed/' reference resolves. */
const EXAMPLE_FILES = ['course-page.html', 'course-page.css'];

/**
 * Copies `from` to `to` unless `to` already holds the same bytes: web/vendor/ is written again by
 * every build (and `npm pack`), and rewriting a file in place while another process imports it
 * (a test running beside the build) can hand that process half a file.
 */
function copyIfChanged(from, to) {
  if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) return;
  cpSync(from, to);
}

/** Copies the chart library into <web>/vendor/uplot/, where the page and the embed import it from. */
export function vendorUplot(web) {
  const vendor = join(web, 'vendor', 'uplot');
  mkdirSync(vendor, { recursive: true });
  for (const f of UPLOT_FILES) copyIfChanged(join(root, 'node_modules', 'uplot', 'dist', f), join(vendor, f));
  copyIfChanged(join(root, 'node_modules', 'uplot', 'LICENSE'), join(vendor, 'LICENSE'));
  return vendor;
}

/** Copies the zip library (one ES module) into <web>/vendor/fflate/, where web/lib/runzip.js loads it in browsers. */
export function vendorFflate(web) {
  const vendor = join(web, 'vendor', 'fflate');
  mkdirSync(vendor, { recursive: true });
  copyIfChanged(join(root, 'node_modules', 'fflate', 'esm', 'browser.js'), join(vendor, 'browser.js'));
  copyIfChanged(join(root, 'node_modules', 'fflate', 'LICENSE'), join(vendor, 'LICENSE'));
  return vendor;
}

export function buildDist(out = join(root, 'dist')) {
  ensureNodeModules();
  buildWasm();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(root, 'web'), out, { recursive: true, filter: (src) => !src.endsWith('.map') });
  vendorUplot(out);
  vendorFflate(out);
  mkdirSync(join(out, 'examples'), { recursive: true });
  for (const f of EXAMPLE_FILES) cpSync(join(root, 'examples', f), join(out, 'examples', f));
  for (const f of ['gradlab-simd.wasm', 'gradlab-scalar.wasm']) {
    if (!existsSync(join(out, 'wasm', f))) throw new Error(`build-dist: ${f} is missing from dist/wasm`);
  }
  const problems = checkReferences(out);
  if (problems.length) throw new Error(`build-dist: references that do not resolve inside dist/:\n  ${problems.join('\n  ')}`);
  return out;
}

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

// Reference forms used by the page: HTML src/href, CSS url(), JS static and dynamic imports, and
// new URL('...', import.meta.url).
const PATTERNS = {
  '.html': [/\s(?:src|href)="([^"#?]+)[^"]*"/g],
  '.css': [/url\(\s*['"]?([^'")#?]+)/g],
  '.js': [/\bimport\s[^'"]*?from\s*'([^']+)'/g, /\bimport\s*'([^']+)'/g, /\bimport\(\s*'([^']+)'\s*\)/g,
    /new URL\(\s*'([^']+)',\s*import\.meta\.url\)/g],
};

/** Every local reference of every file in dir that is absolute or names a file not in dir. */
export function checkReferences(dir) {
  const problems = [];
  for (const file of walk(dir)) {
    const ext = Object.keys(PATTERNS).find((e) => file.endsWith(e));
    if (!ext) continue;
    const text = readFileSync(file, 'utf8');
    for (const pattern of PATTERNS[ext]) {
      for (const [, ref] of text.matchAll(pattern)) {
        if (/^(?:[a-z]+:|\/\/|data:)/i.test(ref)) continue; // node:, https:, data: are not files of the page
        const where = relative(dir, file);
        if (ref.startsWith('/')) { problems.push(`${where}: '${ref}' is absolute and breaks under a sub-path`); continue; }
        const target = resolve(dirname(file), ref);
        if (!target.startsWith(resolve(dir) + sep)) problems.push(`${where}: '${ref}' points outside dist/`);
        else if (!existsSync(target)) problems.push(`${where}: '${ref}' does not exist`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--package')) {
  // `npm pack` (prepack): the package's web/ folder becomes a complete static folder too, so a course
  // site can serve node_modules/gradlab/web/ as it is; web/vendor/ is ignored by git
  ensureNodeModules();
  buildWasm();
  vendorUplot(join(root, 'web'));
  vendorFflate(join(root, 'web'));
  const problems = checkReferences(join(root, 'web'));
  if (problems.length) throw new Error(`build-dist --package: references that do not resolve inside web/:\n  ${problems.join('\n  ')}`);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = buildDist();
  const files = walk(out);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`dist/: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB; serve it from any static host and path`);
}
