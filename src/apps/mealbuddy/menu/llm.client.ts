// OpenAI-compatible chat completions client (any server speaking POST /chat/completions).
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export class LlmError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'LlmError';
  }
}

export class LlmClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly model: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async chat(messages: ChatTurn[]): Promise<string> {
    let body: unknown;
    try {
      const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
        body: JSON.stringify({ model: this.model, messages, temperature: 0.8, max_tokens: 1024, n: 1 }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) throw new LlmError(`HTTP ${res.status}`);
      body = await res.json();
    } catch (err) {
      if (err instanceof LlmError) throw err;
      throw new LlmError(err instanceof Error ? err.message : String(err));
    }
    const content = (body as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || content.trim() === '') throw new LlmError('empty completion');
    return content.trim();
  }
}
