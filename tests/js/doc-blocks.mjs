// doc-blocks.mjs: the fenced code blocks of a markdown file, for tests/js/docs.test.mjs and
// scripts/docs-outputs.mjs.

/** The fenced blocks of a markdown file: [{ info, code, line, output? }], output from a following ```text output block. */
export function blocks(markdown) {
  const found = [];
  const re = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  let m;
  while ((m = re.exec(markdown))) {
    const line = markdown.slice(0, m.index).split('\n').length;
    const block = { info: m[1].trim(), code: m[2], line };
    const previous = found.at(-1);
    if (block.info === 'text output' && previous && /\brun\b/.test(previous.info) && previous.end === m.index - 1) {
      previous.output = block.code;
    } else {
      found.push(block);
    }
    block.end = re.lastIndex;
  }
  return found;
}
