import type { onRequestHookHandler } from 'fastify';
import { problemInstance, RequestValidationException, sendProblem, toProblem } from '@helpdesk/http';
import { inputProblems } from './input-rules';

/**
 * The input rule (no NUL character, no prototype keys: see input-rules.ts) for the query string and
 * the path parameters of every route, before the body is read. Bodies meet it in the JSON parser.
 */
export const queryAndParamsRule: onRequestHookHandler = (request, reply, done) => {
  const problems = [...inputProblems(request.query), ...inputProblems(request.params)];
  if (problems.length === 0) return done();
  sendProblem(reply, toProblem(new RequestValidationException(problems), problemInstance(request)));
};
