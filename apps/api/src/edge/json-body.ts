import { BadRequestException } from '@nestjs/common';
import type { FastifyBodyParser } from 'fastify';
import { RequestValidationException } from '@helpdesk/http';
import { inputProblems, jsonNestsDeeperThan, MAX_JSON_DEPTH } from './input-rules';

/**
 * The JSON body parser of every route: an empty body counts as none (as if no Content-Type had
 * been sent, so a bodiless POST from a client that always sends the header works); a body nested
 * deeper than MAX_JSON_DEPTH is refused before it is parsed (a 10,000-level body used to overflow
 * the stack in class-transformer); then the input rule (no NUL, no prototype keys) names every
 * offending field. `parse` is Fastify's own JSON parser, told to keep prototype keys so that they
 * are refused here by name, like any unknown key, instead of as "malformed JSON".
 */
export function jsonBodyParser(parse: FastifyBodyParser<string>): FastifyBodyParser<Buffer> {
  return (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    const text = body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(new BadRequestException(`The JSON body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    }
    void parse(request, text, (error, value) => {
      if (error) return done(error, undefined);
      const problems = inputProblems(value);
      if (problems.length > 0) return done(new RequestValidationException(problems), undefined);
      done(null, value);
    });
  };
}
