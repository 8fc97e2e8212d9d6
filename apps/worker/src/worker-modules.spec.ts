/**
 * What the worker loads: modules it never runs still cost it memory (their code stays in the heap,
 * and V8 lets the old generation grow to a multiple of it). Bull Board is the API's alone.
 */
describe('the worker module graph', () => {
  it('does not load Bull Board, which only the API serves', () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const name of ['@bull-board/api', '@bull-board/fastify']) {
        jest.doMock(name, () => {
          loaded.push(name);
          return jest.requireActual(name);
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { WorkerModule } = require('./worker.module') as typeof import('./worker.module');
      expect(WorkerModule).toBeDefined();
    });
    expect(loaded).toEqual([]);
  });

  it("does not load Bull Board with the API's entry to it either: the board loads it on its first request", () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const name of ['@bull-board/api', '@bull-board/fastify']) {
        jest.doMock(name, () => {
          loaded.push(name);
          return jest.requireActual(name);
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { QueueBoardModule } = require('@helpdesk/monitoring/board') as typeof import('@helpdesk/monitoring/board');
      expect(QueueBoardModule).toBeDefined();
    });
    expect(loaded).toEqual([]);
  });
});
