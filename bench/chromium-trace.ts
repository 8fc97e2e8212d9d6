/**
 * A summary of a Chromium trace (Playwright's `browser.startTracing`/`stopTracing`, categories
 * TRACE_CATEGORIES) for the console bench: the page's renderer main thread, its tasks of 50 ms or
 * more with their thread (CPU) time, which is what the machine's load does not inflate as much as
 * the wall time, and what each spent it on (the task's direct children: script evaluation by file,
 * function calls, style, layout, paint, garbage collection).
 */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'v8.execute', 'blink.user_timing', 'loading', 'navigation', 'browser'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; documentLoaderURL?: string; frame?: string; processId?: number; resourceType?: string }; [key: string]: unknown };
}

export interface MainThreadTask {
  /** ms after the navigation began */
  start: number;
  wall: number;
  cpu: number;
  /** the largest direct children, by thread time: "name (file) cpu/wall ms" */
  parts: string[];
}

export interface TraceSummary {
  tasks: MainThreadTask[];
  /** the main thread's CPU in all its tasks up to `until` (and in those of 50 ms or more) */
  cpuMs: number;
  longCpuMs: number;
  /** every task's work up to `until`, long or short, summed by what it was (labelled as the parts are), most CPU first: what to compare between two builds */
  byWork: Array<{ work: string; cpu: number }>;
}

/** The events that say what a task did (Chromium's DevTools timeline names). */
const WORK = /^(EvaluateScript|v8\.compileModule|v8\.evaluateModule|v8\.compile|CompileScript|FunctionCall|TimerFire|FireAnimationFrame|RunMicrotasks|V8\.RunMicrotasks|EventDispatch|UpdateLayoutTree|Layout|PrePaint|Paint|Layerize|Commit|MajorGC|MinorGC|V8\.GC.*|ParseHTML|ParseAuthorStyleSheet|XHRReadyStateChange|ResourceReceivedData)$/;

const fileOf = (url: string | undefined) => (url ? (url.split('?')[0].split('/').pop() ?? url) : '');

/** `trace` (the JSON Playwright returns), the tasks of the page's main thread from its navigation up to `untilMs` after it. */
export function summariseTrace(trace: Buffer, untilMs: number, longMs = 50): TraceSummary {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  // The page's renderer: the one that ran the console's script (a new tab starts in another, at about:blank).
  const ran = events.find((e) => mains.has(`${e.pid}:${e.tid}`) && (e.name === 'EvaluateScript' || e.name === 'v8.compileModule' || e.name === 'v8.evaluateModule') && /\/assets\//.test(String(e.args?.data?.url ?? e.args?.fileName ?? '')));
  const thread = ran ? `${ran.pid}:${ran.tid}` : [...mains][0];
  const onThread = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const navigation = events.find((e) => e.name === 'navigationStart' && `${e.pid}:${e.tid}` === thread && /^http/.test(e.args?.data?.documentLoaderURL ?? ''));
  const origin = navigation?.ts ?? onThread[0]?.ts ?? 0;
  const ms = (us: number) => us / 1000;
  const tasks: MainThreadTask[] = [];
  let cpuMs = 0;
  let longCpuMs = 0;
  const byWork = new Map<string, number>();
  for (let i = 0; i < onThread.length; i++) {
    const task = onThread[i];
    if (task.name !== 'RunTask' || task.ts < origin || ms(task.ts - origin) > untilMs) continue;
    const cpu = ms(task.tdur ?? task.dur!);
    cpuMs += cpu;
    const long = ms(task.dur!) >= longMs;
    if (long) longCpuMs += cpu;
    // What it ran: the outermost events inside it that say what (script, call, style, layout, paint, GC), not the scheduler's wrappers.
    const end = task.ts + task.dur!;
    const parts = new Map<string, { cpu: number; wall: number }>();
    let partEnd = 0;
    for (let j = i + 1; j < onThread.length && onThread[j].ts < end; j++) {
      const child = onThread[j];
      if (child.ts < partEnd || !WORK.test(child.name)) continue;
      partEnd = child.ts + child.dur!;
      const data = child.args?.data;
      const label = `${child.name}${data?.functionName ? ` ${data.functionName}` : ''}${data?.url ? ` (${fileOf(data.url)})` : ''}`;
      const part = parts.get(label) ?? { cpu: 0, wall: 0 };
      part.cpu += ms(child.tdur ?? child.dur!);
      part.wall += ms(child.dur!);
      parts.set(label, part);
      byWork.set(label, (byWork.get(label) ?? 0) + ms(child.tdur ?? child.dur!));
    }
    if (!long) continue;
    tasks.push({
      start: ms(task.ts - origin),
      wall: ms(task.dur!),
      cpu,
      parts: [...parts.entries()]
        .sort((a, b) => b[1].cpu - a[1].cpu)
        .slice(0, 4)
        .map(([label, part]) => `${label} ${part.cpu.toFixed(0)}/${part.wall.toFixed(0)} ms`),
    });
  }
  return { tasks, cpuMs, longCpuMs, byWork: [...byWork.entries()].map(([work, cpu]) => ({ work, cpu })).sort((a, b) => b.cpu - a.cpu) };
}

/**
 * The steps of a navigation between the document's answer and the page's first subresource, from the
 * browser's and the renderer's own events (ms after the browser began the navigation; null when the
 * trace lacks the step): where the time before any script or preload goes, whatever the load.
 */
export interface NavigationSteps {
  /** the browser has the document's response headers */
  responseMs: number | null;
  /** the renderer process the document committed in */
  rendererPid: number | null;
  /** the browser picked a renderer process it had to start or take from its spare (a new one), not the tab's own */
  newRenderer: boolean;
  /** the browser sent the commit to that renderer */
  commitSentMs: number | null;
  /** the renderer began running the commit (the document, its Link preloads), and the task's wall and CPU time */
  commitStartMs: number | null;
  commitWallMs: number | null;
  commitCpuMs: number | null;
  /** the first request after the document (a Link preload or the parser's first) */
  firstRequestMs: number | null;
  firstRequest: string | null;
}

/** `trace` (Playwright's `stopTracing`, categories TRACE_CATEGORIES): the steps of its first navigation to an http(s) document. */
export function navigationSteps(trace: Buffer): NavigationSteps {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents.filter((e) => e.ph !== 'M').sort((a, b) => a.ts - b.ts);
  const begun = events.find((e) => e.name === 'NavigationRequest::Create' || e.name === 'NavigationControllerImpl::LoadURLWithParamsForResult');
  const committed = events.find((e) => e.name === 'FrameCommittedInBrowser' && /^https?:/.test(e.args?.data?.url ?? ''));
  const pid = committed?.args?.data?.processId;
  const response = events.filter((e) => e.ph === 'X' && e.name === 'NavigationRequest::OnResponseStarted' && (!committed || e.ts <= committed.ts)).pop();
  const sent = events.find((e) => e.ph === 'X' && e.name === 'RenderFrameHostImpl::SendCommitNavigation' && (!response || e.ts >= response.ts));
  const commit = events.find((e) => e.ph === 'X' && e.name === 'RenderFrameImpl::CommitNavigation' && e.pid === pid && (!sent || e.ts >= sent.ts));
  const first = events.find((e) => e.name === 'ResourceSendRequest' && e.pid === pid && e.args?.data?.resourceType !== 'Document' && (!commit || e.ts >= commit.ts));
  // Choosing the renderer once the headers are in: a process started (or the spare taken) there is a new one.
  const newRenderer = !!response && events.some((e) => e.name === 'RenderProcessHostImpl::Init' && e.ts >= response.ts && e.ts <= response.ts + (response.dur ?? 0));
  const at = (e: TraceEvent | undefined) => (e && begun ? (e.ts - begun.ts) / 1000 : null);
  return {
    responseMs: at(response),
    rendererPid: pid ?? null,
    newRenderer,
    commitSentMs: at(sent),
    commitStartMs: at(commit),
    commitWallMs: commit?.dur !== undefined ? commit.dur / 1000 : null,
    commitCpuMs: commit?.tdur !== undefined ? commit.tdur / 1000 : null,
    firstRequestMs: at(first),
    firstRequest: first?.args?.data?.url ? new URL(first.args.data.url).pathname : null,
  };
}

/** BENCH_CONSOLE_TRACE=profile: V8's sampling profiler in the trace too (its samples cost the page some time). */
export const PROFILE_CATEGORY = 'disabled-by-default-v8.cpu_profiler';

/**
 * One request of the page's renderer as the trace has it: when the renderer asked (`askedMs`, with the
 * priority and whether a `Link` header's preload asked), when the network sent it and had the answer's
 * headers and its end (the network service's own times, whatever the renderer was doing), and when the
 * renderer's main thread took the answer (`seenMs`: late when that thread was busy). ms after the
 * navigation began; null where the trace lacks it.
 */
export interface TracedRequest {
  url: string;
  priority: string;
  preload: boolean;
  connection: number | null;
  askedMs: number;
  sentMs: number | null;
  headersMs: number | null;
  endMs: number | null;
  seenMs: number | null;
}

interface ResourceData {
  requestId?: string;
  url?: string;
  priority?: string;
  isLinkPreload?: boolean;
  connectionId?: number;
  finishTime?: number;
  timing?: { requestTime: number; sendStart: number; receiveHeadersEnd: number };
}

/** `trace`: the requests to `origin` of its first navigation, in the order the renderer asked for them. */
export function tracedRequests(trace: Buffer, origin: string): TracedRequest[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const begun = events.filter((e) => e.name === 'NavigationRequest::Create' || e.name === 'NavigationControllerImpl::LoadURLWithParamsForResult').sort((a, b) => a.ts - b.ts)[0];
  if (!begun) return [];
  const byId = new Map<string, Partial<Record<'send' | 'response' | 'finish', TraceEvent>>>();
  const kinds = { ResourceSendRequest: 'send', ResourceReceiveResponse: 'response', ResourceFinish: 'finish' } as const;
  for (const e of events) {
    const kind = kinds[e.name as keyof typeof kinds];
    const id = (e.args?.data as ResourceData | undefined)?.requestId;
    if (!kind || !id) continue;
    const entry = byId.get(id) ?? {};
    entry[kind] ??= e;
    byId.set(id, entry);
  }
  const ms = (us: number) => (us - begun.ts) / 1000;
  const requests: TracedRequest[] = [];
  for (const { send, response, finish } of byId.values()) {
    const asked = send?.args?.data as ResourceData | undefined;
    if (!send || !asked?.url?.startsWith(origin) || send.ts < begun.ts) continue;
    const answer = response?.args?.data as ResourceData | undefined;
    const timing = answer?.timing;
    const at = (seconds: number) => ms(seconds * 1e6);
    const done = (finish?.args?.data as ResourceData | undefined)?.finishTime;
    requests.push({
      url: asked.url.slice(origin.length),
      priority: asked.priority ?? '',
      preload: Boolean(asked.isLinkPreload),
      connection: answer?.connectionId ?? null,
      askedMs: ms(send.ts),
      sentMs: timing ? at(timing.requestTime) + timing.sendStart : null,
      headersMs: timing ? at(timing.requestTime) + timing.receiveHeadersEnd : null,
      endMs: done ? at(done) : null,
      seenMs: response ? ms(response.ts) : null,
    });
  }
  return requests.sort((a, b) => a.askedMs - b.askedMs);
}

/**
 * `trace` with PROFILE_CATEGORY: the page's renderer main thread's JavaScript from the navigation up to
 * `untilMs` after it, by function (self time from V8's samples): "ms function (file:line:column)", the
 * `top` largest. The build's files are minified: map a line and column through the file's `.map`.
 */
export function profileTop(trace: Buffer, untilMs: number, top = 15): string[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }
  const chunks = events.filter((e) => e.name === 'ProfileChunk' || e.name === 'Profile');
  const start = events.find((e) => e.name === 'Profile');
  const begun = events.filter((e) => e.name === 'NavigationRequest::Create' || e.name === 'NavigationControllerImpl::LoadURLWithParamsForResult').sort((a, b) => a.ts - b.ts)[0];
  if (!start || !begun) return [];
  // Each profile (one per renderer thread) is its own id; the page's is the one whose samples name the console's files.
  const byProfile = new Map<string, { nodes: Map<number, Node>; samples: number[]; deltas: number[]; startTime: number }>();
  for (const e of chunks) {
    const id = `${e.pid}:${String((e as unknown as { id?: string }).id ?? '')}`;
    const data = e.args?.data as { startTime?: number; cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
    const profile = byProfile.get(id) ?? { nodes: new Map<number, Node>(), samples: [] as number[], deltas: [] as number[], startTime: 0 };
    if (data?.startTime !== undefined) profile.startTime = data.startTime;
    for (const node of data?.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
    profile.samples.push(...(data?.cpuProfile?.samples ?? []));
    profile.deltas.push(...(data?.timeDeltas ?? []));
    byProfile.set(id, profile);
  }
  const page = [...byProfile.values()].find((p) => [...p.nodes.values()].some((n) => /\/assets\//.test(n.callFrame.url)));
  if (!page) return [];
  const self = new Map<string, number>();
  let at = page.startTime;
  for (let i = 0; i < page.samples.length; i++) {
    const previous = at;
    at += page.deltas[i] ?? 0;
    if ((at - begun.ts) / 1000 > untilMs) break;
    const frame = page.nodes.get(page.samples[i])?.callFrame;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)' && !frame.url) continue;
    const key = `${frame.functionName || '(anonymous)'} (${fileOf(frame.url) || '—'}${frame.url ? `:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ''})`;
    self.set(key, (self.get(key) ?? 0) + (at - previous) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, ms]) => `${ms.toFixed(1)} ms ${key}`);
}
