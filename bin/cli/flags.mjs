// flags.mjs: a small, strict parser for `--name value` flags, driven by one table per command.
// Pure: no I/O. A bad flag becomes a UsageError whose message names the flag, the value given and
// what is allowed, so the user can fix it without reading the code.

export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

const fail = (message) => { throw new UsageError(message); };

// Flag table rows: { type: 'int' | 'number' | 'string' | 'choice' | 'bool', default, min, max,
// choices, help, value (the placeholder shown in help) }. An int or number row without min and max
// passes any value of its type to the engine, which owns that range and names it when it refuses.

function convert(name, raw, row) {
  const flag = `--${name}`;
  switch (row.type) {
    case 'int': {
      const v = Number(raw);
      if (row.min === undefined) { // a range the engine owns and checks, naming it in its message
        if (raw === '' || !Number.isSafeInteger(v)) fail(`${flag} '${raw}' is not allowed; it must be a whole number`);
        return v;
      }
      if (raw === '' || !Number.isInteger(v) || v < row.min || v > row.max) {
        fail(`${flag} '${raw}' is not allowed; it must be a whole number from ${row.min} to ${row.max}`);
      }
      return v;
    }
    case 'number': {
      const v = Number(raw);
      if (row.min === undefined) {
        if (raw === '' || Number.isNaN(v)) fail(`${flag} '${raw}' is not allowed; it must be a number`);
        return v;
      }
      if (raw === '' || !Number.isFinite(v) || v < row.min || v > row.max) {
        fail(`${flag} '${raw}' is not allowed; it must be a number from ${row.min} to ${row.max}`);
      }
      return v;
    }
    case 'choice':
      if (!row.choices.includes(raw)) fail(`${flag} '${raw}' is not known; allowed: ${row.choices.join(', ')}`);
      return raw;
    case 'string':
      return raw;
    default:
      throw new Error(`flag table: unknown type ${row.type}`);
  }
}

/**
 * Parses argv (the words after the command) against a flag table. Accepts `--name value`,
 * `--name=value` and, for booleans, `--name`. Returns an object keyed by flag name (with defaults),
 * plus `help: true` when --help or -h was given.
 */
export function parseFlags(argv, table, command) {
  const values = {};
  for (const [name, row] of Object.entries(table)) if (row.default !== undefined) values[name] = row.default;
  const seen = new Set();
  for (let i = 0; i < argv.length; ++i) {
    const word = argv[i];
    if (word === '--help' || word === '-h') return { ...values, help: true };
    if (!word.startsWith('--') || word === '--') {
      fail(`'${word}' is not a flag; ${command} takes only flags such as --${Object.keys(table)[0]} (see gradlab ${command} --help)`);
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const row = table[name];
    if (!row) {
      const allowed = Object.keys(table).map((n) => `--${n}`).join(', ');
      fail(`--${name} is not a flag of ${command}; allowed: ${allowed}, --help`);
    }
    if (seen.has(name)) fail(`--${name} was given twice`);
    seen.add(name);
    if (row.type === 'bool') {
      if (eq >= 0) fail(`--${name} takes no value (got '${word.slice(eq + 1)}')`);
      values[name] = true;
      continue;
    }
    let raw;
    if (eq >= 0) raw = word.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || (argv[i + 1].startsWith('--') && argv[i + 1].length > 2)) {
        fail(`--${name} needs a value: ${row.value ?? row.type}`);
      }
      raw = argv[++i];
    }
    values[name] = convert(name, raw, row);
  }
  return values;
}

/** Flags that exclude each other: at most one of them may be set. */
export function exclusive(values, names) {
  const given = names.filter((n) => values[n]);
  if (given.length > 1) fail(`${given.map((n) => `--${n}`).join(' and ')} cannot be used together; pick one`);
}

/** The --help text of a command: usage line, summary, then one line per flag. */
export function helpText(command, usage, summary, table, notes = '') {
  const rows = Object.entries(table).map(([name, row]) => {
    const left = row.type === 'bool' ? `--${name}` : `--${name} ${row.value ?? (row.type === 'choice' ? row.choices.join('|') : row.type === 'int' ? 'N' : 'X')}`;
    let right = row.help;
    if (row.type === 'choice' && row.value) right += ` (${row.choices.join(', ')})`;
    if ((row.type === 'int' || row.type === 'number') && row.min !== undefined) right += ` [${row.min}..${row.max}]`;
    if (row.default !== undefined && row.type !== 'bool') right += `; default ${row.default}`;
    return [left, right];
  });
  rows.push(['--help', 'show this text']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  const lines = rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`);
  return `usage: ${usage}\n\n${summary}\n\nflags:\n${lines.join('\n')}\n${notes ? `\n${notes}\n` : ''}`;
}
