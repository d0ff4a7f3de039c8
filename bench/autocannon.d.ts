// autocannon ships no types: the part of its programmatic API the bench's load generator uses.
declare module 'autocannon' {
  namespace autocannon {
    type RawRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
    type Context = Record<string, unknown>;
    type Request = RawRequest & {
      setupRequest?: (req: RawRequest, context: Context) => RawRequest;
      onResponse?: (status: number, body: string, context: Context) => void;
    };
    type Options = {
      url: string;
      amount?: number;
      connections?: number;
      timeout?: number;
      sampleInt?: number;
      requests?: Request[];
    };
    type Histogram = { average: number; p50: number; p99: number; total: number };
    type Result = {
      requests: Histogram;
      latency: Histogram;
      errors: number;
      start: Date;
      finish: Date;
      statusCodeStats?: Record<string, { count: number }>;
    };
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
