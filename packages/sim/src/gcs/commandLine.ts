// How a GCS turns a `CommandLine` string into an argv when no `CommandArgs` are given: the Linux
// GCS splits it shell-style (gcs-bridge.md §3.8); a Windows guest parses it with the
// CommandLineToArgvW rules that the Windows escaping of hcsshim's ExecIntoUVM targets (§5.4).

/** Splits a command line the way a POSIX shell splits words (quotes and backslashes, no expansion). */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote at offset ${i} of the command line`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('unterminated double quote in the command line');
        const d = line.charAt(i);
        if (d === '"') break;
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line.charAt(i + 1))) {
          word += line.charAt(i + 1);
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line.charAt(i + 1);
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Splits a Windows command line by the CommandLineToArgvW rules (backslashes count only before a quote). */
export function splitWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  const skipBlanks = () => {
    while (i < line.length && (line.charAt(i) === ' ' || line.charAt(i) === '\t')) i++;
  };
  skipBlanks();
  if (i >= line.length) return args;
  // The program name: quotes group, backslashes are literal.
  let program = '';
  let quoted = false;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) break;
    else program += c;
    i++;
  }
  args.push(program);
  for (;;) {
    skipBlanks();
    if (i >= line.length) return args;
    let arg = '';
    quoted = false;
    while (i < line.length) {
      const c = line.charAt(i);
      if (c === '\\') {
        let slashes = 0;
        while (i < line.length && line.charAt(i) === '\\') {
          slashes++;
          i++;
        }
        if (line.charAt(i) === '"') {
          arg += '\\'.repeat(Math.floor(slashes / 2));
          if (slashes % 2 === 1) {
            arg += '"';
            i++;
          }
        } else {
          arg += '\\'.repeat(slashes);
        }
        continue;
      }
      if (c === '"') {
        if (quoted && line.charAt(i + 1) === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      if (!quoted && (c === ' ' || c === '\t')) break;
      arg += c;
      i++;
    }
    args.push(arg);
  }
}
