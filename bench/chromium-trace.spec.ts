import { navigationSteps, summariseTrace } from './chromium-trace';

/** A trace as Chromium writes it: two renderers' main threads (a new tab's about:blank, then the page's). */
function trace(events: object[]): Buffer {
  const meta = [1, 2].map((pid) => ({ name: 'thread_name', ph: 'M', ts: 0, pid, tid: 10, args: { name: 'CrRendererMain' } }));
  return Buffer.from(JSON.stringify({ traceEvents: [...meta, ...events] }));
}
const x = (pid: number, name: string, ts: number, dur: number, tdur: number, data?: object) => ({ name, ph: 'X', ts, dur, tdur, pid, tid: 10, args: data ? { data } : {} });

describe("summariseTrace (the console page's main-thread tasks from a Chromium trace)", () => {
  const events = [
    // The blank tab's renderer: busy, but not the page.
    x(1, 'RunTask', 0, 900_000, 900_000),
    { name: 'navigationStart', ph: 'R', ts: 1_000_000, pid: 2, tid: 10, args: { data: { documentLoaderURL: 'http://127.0.0.1:3000/' } } },
    // 300 ms (wall) evaluating the entry, 120 ms of it on the CPU, inside the scheduler's wrapper.
    x(2, 'RunTask', 1_100_000, 300_000, 130_000),
    x(2, 'ThreadControllerImpl::RunTask', 1_100_000, 300_000, 130_000),
    x(2, 'v8.evaluateModule', 1_100_010, 250_000, 120_000, { url: 'http://127.0.0.1:3000/assets/index-1.js' }),
    x(2, 'FunctionCall', 1_100_020, 100_000, 50_000, { functionName: 'inner', url: 'http://127.0.0.1:3000/assets/index-1.js' }),
    x(2, 'Layout', 1_360_000, 30_000, 8_000),
    // A short task counts in the total only; one after `until` not at all.
    x(2, 'RunTask', 1_500_000, 20_000, 20_000),
    x(2, 'RunTask', 3_000_000, 100_000, 100_000),
  ];

  it("takes the renderer that ran the console's script, times from its navigation, and names what each long task did by CPU time", () => {
    const events2 = [...events, x(2, 'v8.compileModule', 1_050_000, 1_000, 1_000, { url: 'http://127.0.0.1:3000/assets/index-1.js' })];
    const summary = summariseTrace(trace(events2), 1_000);
    expect(summary.tasks).toEqual([{ start: 100, wall: 300, cpu: 130, parts: ['v8.evaluateModule (index-1.js) 120/250 ms', 'Layout 8/30 ms'] }]);
    expect([summary.cpuMs, summary.longCpuMs]).toEqual([150, 130]);
  });

  it('sums every task\'s work by what it was, the short tasks\' too, the outermost event only (a call inside an evaluation is the evaluation\'s)', () => {
    const events2 = [...events, x(2, 'Layout', 1_505_000, 10_000, 6_000)];
    expect(summariseTrace(trace(events2), 1_000).byWork).toEqual([
      { work: 'v8.evaluateModule (index-1.js)', cpu: 120 },
      { work: 'Layout', cpu: 14 },
    ]);
  });

  it('lists nothing when no task is long enough', () => {
    expect(summariseTrace(trace(events), 1_000, 400).tasks).toEqual([]);
  });
});

describe('navigationSteps (from the document\'s answer to the first request after it)', () => {
  const browser = 9;
  const steps = (renderer: object[]) =>
    navigationSteps(
      trace([
        x(browser, 'NavigationControllerImpl::LoadURLWithParamsForResult', 1_000_000, 5_000, 5_000),
        x(browser, 'NavigationRequest::OnResponseStarted', 1_100_000, 25_000, 20_000),
        ...renderer,
        x(browser, 'RenderFrameHostImpl::SendCommitNavigation', 1_125_000, 500, 500),
        // The tab's own about:blank renderer (1) commits a document of another navigation: not this one.
        x(1, 'RenderFrameImpl::CommitNavigation', 1_126_000, 10_000, 10_000),
        x(2, 'RenderFrameImpl::CommitNavigation', 1_525_000, 440_000, 28_000),
        { name: 'ResourceSendRequest', ph: 'I', ts: 1_526_000, pid: 2, tid: 10, args: { data: { url: 'http://127.0.0.1:3000/', resourceType: 'Document' } } },
        { name: 'ResourceSendRequest', ph: 'I', ts: 1_700_000, pid: 2, tid: 10, args: { data: { url: 'http://127.0.0.1:3000/assets/index-1.js', resourceType: 'Script' } } },
        { name: 'FrameCommittedInBrowser', ph: 'I', ts: 1_110_000, pid: browser, tid: 1, args: { data: { url: 'http://127.0.0.1:3000/', processId: 2 } } },
      ]),
    );

  it("times the browser's commit, the renderer's commit task and the first subresource, and tells a new renderer from the tab's own", () => {
    expect(steps([x(browser, 'RenderProcessHostImpl::Init', 1_110_000, 1_000, 1_000)])).toEqual({
      responseMs: 100,
      rendererPid: 2,
      newRenderer: true,
      commitSentMs: 125,
      commitStartMs: 525,
      commitWallMs: 440,
      commitCpuMs: 28,
      firstRequestMs: 700,
      firstRequest: '/assets/index-1.js',
    });
  });

  it('says the renderer is not new when no process was started for the response, and null for steps the trace lacks', () => {
    expect(steps([]).newRenderer).toBe(false);
    expect(navigationSteps(trace([]))).toEqual({ responseMs: null, rendererPid: null, newRenderer: false, commitSentMs: null, commitStartMs: null, commitWallMs: null, commitCpuMs: null, firstRequestMs: null, firstRequest: null });
  });
});
