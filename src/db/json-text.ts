// A json / jsonb value as the server's text: parsed by the driver, the JSON null and a JSON string would lose
// what they were (SQL NULL? quoted?), and the CSV would not read back. Printed as is; --json embeds it parsed.
export class JsonText {
  constructor(readonly text: string) {}
}
