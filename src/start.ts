/** `basisbot start`: wired to the chat adapters once they land. */
export async function start(_argv: string[]): Promise<number> {
  process.stderr.write('basisbot start: no chat adapter is configured yet; set TELEGRAM_BOT_TOKEN or DISCORD_TOKEN.\n');
  return 2;
}
