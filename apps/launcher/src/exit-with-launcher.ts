/**
 * Preloaded (`node --require`) into the api and the worker that `npm start` runs. They live in
 * process groups of their own (so only the launcher gets a terminal's Ctrl-C): if the launcher is
 * killed outright, nothing would stop them, so when their IPC channel to it closes they stop
 * themselves the usual way, as on a SIGTERM.
 */
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
