// Score one page with the MDN HTTP Observatory's own retriever, tests and grader
// (the npm package @mdn/mdn-http-observatory), and print the result as JSON.
//
//   node tests/deploy/observatory.mjs HOST HTTPS_PORT HTTP_PORT PATH
//
// This is the package's scan() (src/scanner/index.js) with one difference:
// scan() takes only a host name, so it cannot be pointed at a port or a page;
// here the retriever is given both. Scoring is the package's, unchanged.
// The caller trusts the test certificate authority with NODE_EXTRA_CA_CERTS,
// and the package's HSTS preload list must exist (the Makefile writes an empty
// one, as its install script, which would download the real list, never runs).
import { retrieve } from "@mdn/mdn-http-observatory/src/retriever/retriever.js";
import { ALL_TESTS } from "@mdn/mdn-http-observatory/src/constants.js";
import { MINIMUM_SCORE_FOR_EXTRA_CREDIT } from "@mdn/mdn-http-observatory/src/grader/charts.js";
import {
  getGradeForScore,
  getScoreModifier,
} from "@mdn/mdn-http-observatory/src/grader/grader.js";

const [host, httpsPort, httpPort, path] = process.argv.slice(2);
const requests = await retrieve(host, { httpsPort, httpPort, path });
const response = requests.responses.auto;
if (!response) {
  console.log(JSON.stringify({ error: `no answer from ${host}:${httpsPort}${path}` }));
  process.exit(1);
}

let scoreWithExtraCredit = 100;
let uncurvedScore = 100;
const tests = {};
for (const test of ALL_TESTS) {
  const output = test(requests);
  const modifier = output.result ? getScoreModifier(output.result) : 0;
  scoreWithExtraCredit += modifier;
  if (modifier < 0) {
    uncurvedScore += modifier;
  }
  tests[output.constructor.name] = {
    result: output.result,
    pass: output.pass,
    scoreModifier: modifier,
  };
}
const score =
  uncurvedScore >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? scoreWithExtraCredit : uncurvedScore;
console.log(
  JSON.stringify({
    url: response.config?.url ?? null,
    status: response.status,
    verified: response.verified,
    score,
    grade: getGradeForScore(score).grade,
    tests,
  }),
);
