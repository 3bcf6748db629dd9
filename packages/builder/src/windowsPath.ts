// Go's path/filepath on Windows, for the paths hcsshim builds (boot files, bundle files, device
// instance paths): forward slashes become backslashes, repeated separators and `.` collapse, `..`
// pops, and no trailing separator remains.

/** Go's `filepath.Clean` for the path forms hcsshim meets: drive-absolute, UNC, rooted, relative. */
export function cleanWindowsPath(path: string): string {
  const drive = /^[A-Za-z]:/.exec(path)?.[0] ?? '';
  const rest = path.slice(drive.length);
  const unc = drive === '' && /^[\\/]{2}[^\\/]/.test(rest);
  const rooted = /^[\\/]/.test(rest);
  const parts: string[] = [];
  for (const part of rest.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !rooted) parts.push(part);
  }
  const body = parts.join('\\');
  if (unc) return '\\\\' + body;
  if (rooted) return drive + '\\' + body;
  return drive + (body === '' && drive === '' ? '.' : body);
}

/** Go's `filepath.Join`: the non-empty parts joined with `\` and cleaned. */
export function joinWindowsPath(...parts: readonly string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : cleanWindowsPath(kept.join('\\'));
}
