import type { Payload, WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Trace context from the API into activities (platform/tracing.ts). The Temporal client interceptor
 * writes the caller's W3C trace context into the `_tracer-data` header of a workflow start or
 * Update; this interceptor hands the latest one it received to the activities the workflow
 * schedules, whose interceptor continues the trace there: API request → workflow start / Update →
 * activities.
 *
 * Why not the SDK's own workflow interceptors (`@temporalio/interceptors-opentelemetry`): replaying
 * a history recorded without them, they add a yield to every Update and the replay of a saved
 * lead (`lead-follow-up-pooled-last-run.json`) failed with a nondeterminism error, which is what
 * running executions would do on deploy. This one only copies a header: it calls `next` at once
 * (no await, no timer, no extra microtask), creates no span inside the sandbox and uses no sink,
 * and headers are not part of what replay compares. It is the same with or without tracing
 * (without it, the client writes no header and nothing is copied).
 */
export const TRACE_HEADER = '_tracer-data';

export const interceptors: WorkflowInterceptorsFactory = () => {
  let trace: Payload | undefined;
  const remember = (headers: Record<string, Payload>) => {
    if (headers[TRACE_HEADER]) trace = headers[TRACE_HEADER];
  };
  const withTrace = <T extends { headers: Record<string, Payload> }>(input: T): T => (trace && !input.headers[TRACE_HEADER] ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: trace } } : input);
  return {
    inbound: [
      {
        execute(input, next) {
          remember(input.headers);
          return next(input);
        },
        handleUpdate(input, next) {
          remember(input.headers);
          return next(input);
        },
        handleSignal(input, next) {
          remember(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withTrace(input)),
        scheduleLocalActivity: (input, next) => next(withTrace(input)),
        startChildWorkflowExecution: (input, next) => next(withTrace(input)),
      },
    ],
  };
};
