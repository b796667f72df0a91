import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { AppConfig } from './config.js';

/**
 * OpenTelemetry traces (README: "Metrics and traces"): API request → workflow start or Update
 * (the Temporal client interceptor) → workflow (the workflow interceptors, spans sent out of the
 * sandbox through the `exporter` sink) → activities (the activity interceptor), linked by W3C trace
 * context in Temporal's headers.
 *
 * Only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: then the process registers a tracer provider
 * (with the async-hooks context manager and the W3C propagator) exporting over OTLP/HTTP to
 * `<endpoint>/v1/traces`. Otherwise nothing is registered, the OpenTelemetry API stays a no-op (no
 * span is recorded, no header is written) and the interceptors cost a few function calls.
 * Spans carry ids and enums (workflow type and id, activity type, route template, status), never
 * payloads: the interceptors do not read them.
 */
export interface Tracing {
  tracer: Tracer;
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Exports what is buffered and stops (call before the process exits). */
  shutdown(): Promise<void>;
}

let installed: Tracing | null = null;

/** Installs tracing for this process once (the first caller's service name wins); null when no endpoint is configured. */
export function installTracing(config: Pick<AppConfig, 'tracing'>, defaultServiceName: string): Tracing | null {
  const endpoint = config.tracing.otlpEndpoint;
  if (!endpoint) return null;
  if (installed) return installed;
  const resource = new Resource({ 'service.name': config.tracing.serviceName ?? defaultServiceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }), { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const tracing: Tracing = {
    tracer: trace.getTracer('estate-care'),
    resource,
    spanProcessor,
    async shutdown() {
      await provider.shutdown().catch(() => undefined);
      if (installed === tracing) installed = null;
    },
  };
  installed = tracing;
  return tracing;
}

/** The process's tracing, when installed. */
export function currentTracing(): Tracing | null {
  return installed;
}

/**
 * A server span around one HTTP request, continuing a caller's `traceparent`; `route` is read when
 * the response is finished (the route template, never the URL). A no-op without tracing.
 */
export function traceHttpRequest(
  req: { method: string; headers: Record<string, string | string[] | undefined> },
  res: { statusCode: number; once(event: 'finish' | 'close', fn: () => void): unknown },
  route: () => string,
  next: () => void,
): void {
  const tracing = installed;
  if (!tracing) return next();
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracing.tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const template = route();
    span.updateName(`${req.method} ${template}`);
    span.setAttribute('http.route', template);
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(parent, span), next);
}
