/** One request and its answer (or failure), as --verbose shows it. Bodies are as sent and received: not redacted. */
export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  statusText?: string;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  /** A request that got no answer: the reason. */
  error?: string;
  ms: number;
}

/** Told of every exchange; whoever shows them redacts them. */
export type HttpTrace = (exchange: HttpExchange) => void;
