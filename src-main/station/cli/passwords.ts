/**
 * Passwords are never taken as arguments (they would land in shell history and `ps`). On a
 * terminal they are prompted without echo; otherwise they are read from stdin, one per line,
 * in the order the command asks for them.
 */
export class PasswordSource {
  private lines: string[] | undefined;

  constructor(private readonly input: NodeJS.ReadStream = process.stdin) {}

  get interactive(): boolean {
    return this.input.isTTY === true;
  }

  async next(prompt: string): Promise<string> {
    if (this.interactive) return promptHidden(this.input, prompt);
    this.lines ??= await readAllLines(this.input);
    const line = this.lines.shift();
    if (line === undefined) {
      throw new Error(`expected a password on stdin (${prompt.replace(/:\s*$/, '')}), found none`);
    }
    return line;
  }
}

async function readAllLines(input: NodeJS.ReadStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line, i, all) => !(i === all.length - 1 && line === ''));
}

function promptHidden(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let typed = '';
    const finish = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
