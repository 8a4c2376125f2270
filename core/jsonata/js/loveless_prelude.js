// Loaded into every SpiderMonkey context after loveless_polyfills.js and
// jsonata's build (core/jsonata/src/heap.cpp). The C++ side calls
// __loveless_evaluate or __loveless_check_syntax, runs the promise jobs, then
// takes the answer line from __loveless_outcome; it provides the natives
// __loveless_digest and __loveless_uuid (src/native_functions.cpp) and sets
// __loveless_max_depth and __loveless_memory_mib. The time and memory bounds
// are enforced from C++ (an interrupt callback, the GC's limits).

// Compiled expressions of this heap by expression text: compiling costs more
// than a small evaluation. Emptied when it holds kCacheLimit entries, which
// bounds the heap's memory without the bookkeeping of an LRU.
var __loveless_cache = {};
var __loveless_cache_size = 0;
var __loveless_cache_limit = 256;

// The evaluation's recursion depth, which the evaluation hooks count as
// jsonata's own test harness does (test/run-test-suite.js, timeboxExpression):
// jsonata's recursion goes through promises, so it grows the heap and not
// the native stack, and SpiderMonkey's own recursion limit would not see it.
var __loveless_depth = 0;
var __loveless_max_depth = 500;
var __loveless_memory_mib = 256;

// The answer line of the current call (see __loveless_outcome), null while
// the evaluation's promise is pending.
var __loveless_answer = null;

function __loveless_error(code, message) {
  return { code: code, message: message, position: -1 };
}

function __loveless_stack_overflow() {
  return __loveless_error(
    'L0001',
    'Stack overflow error: the expression nests deeper than ' + __loveless_max_depth +
      ' evaluation levels. Check for non-terminating recursive function.');
}

// The functions AWS Step Functions adds to JSONata
// (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
// The codes of the errors of their argument checks are ours: AWS documents none.
var __loveless_aws_functions = {
  partition: {
    signature: '<an:a>',
    implementation: function (array, size) {
      if (typeof array === 'undefined') return undefined;
      if (!(size > 0) || Math.floor(size) !== size) {
        throw __loveless_error('D3500', 'The chunk size of $partition must be a positive integer');
      }
      var chunks = [];
      for (var i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
      return chunks;
    }
  },
  range: {
    signature: '<nnn:a>',
    implementation: function (start, end, step) {
      if (step === 0) throw __loveless_error('D3501', 'The step of $range must not be 0');
      var count = Math.floor((end - start) / step) + 1;
      if (count > 1e7) {
        throw __loveless_error('D3502', 'The size of the array $range allocates must not exceed 1e7');
      }
      // A sequence, not an array: a range of one number is that number,
      // as AWS returns it ($range(1, 9, 9) is 1).
      var result = [];
      Object.defineProperty(result, 'sequence', { value: true });
      for (var i = 0; i < count; ++i) result.push(start + i * step);
      return result;
    }
  },
  hash: {
    signature: '<ss:s>',
    implementation: function (data, algorithm) {
      if (typeof data === 'undefined') return undefined;
      var digest = __loveless_digest(algorithm, data);
      if (typeof digest !== 'string') {
        throw __loveless_error(
          'D3503',
          'The algorithm of $hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512');
      }
      return digest;
    }
  },
  random: {
    signature: '<n?:n>',
    implementation: function (seed) {
      if (typeof seed === 'undefined') return Math.random();
      // Park-Miller: the same seed gives the same number, as AWS promises
      // (its generator is not documented, so the numbers differ from AWS's).
      var state = Math.abs(Math.floor(seed)) % 2147483646 + 1;
      for (var i = 0; i < 3; ++i) state = (state * 48271) % 2147483647;
      return (state - 1) / 2147483646;
    }
  },
  uuid: {
    signature: '<:s>',
    implementation: function () {
      return __loveless_uuid();
    }
  },
  parse: {
    signature: '<s-:x>',
    implementation: function (text) {
      if (typeof text === 'undefined') return undefined;
      try {
        return JSON.parse(text);
      } catch (e) {
        throw __loveless_error('D3504', 'The argument of $parse is not valid JSON: ' + e.message);
      }
    }
  }
};

function __loveless_compile(text) {
  var expression = __loveless_cache[text];
  if (expression) return expression;
  expression = jsonata(text);
  for (var name in __loveless_aws_functions) {
    var fn = __loveless_aws_functions[name];
    expression.registerFunction(name, fn.implementation, fn.signature);
  }
  // Step Functions does not offer $eval.
  expression.assign('eval', undefined);
  expression.assign(Symbol.for('jsonata.__evaluate_entry'), function (expr, input, environment) {
    if (environment.isParallelCall) return;
    if (++__loveless_depth > __loveless_max_depth) throw __loveless_stack_overflow();
  });
  expression.assign(Symbol.for('jsonata.__evaluate_exit'), function (expr, input, environment) {
    if (environment.isParallelCall) return;
    __loveless_depth--;
  });
  if (__loveless_cache_size >= __loveless_cache_limit) {
    __loveless_cache = {};
    __loveless_cache_size = 0;
  }
  __loveless_cache[text] = expression;
  __loveless_cache_size++;
  return expression;
}

// An error as the one line C++ reads: "E" + {code, message, position}.
// A JavaScript error that is not jsonata's has no code: L0003, except
// SpiderMonkey's own limits: its native recursion limit (jsonata's parser
// recurses natively) is the depth bound, a string or array beyond its size
// limits the memory bound.
function __loveless_error_line(error) {
  if (error instanceof InternalError && error.message === 'too much recursion') {
    error = __loveless_stack_overflow();
  } else if ((error instanceof InternalError || error instanceof RangeError) &&
             (error.message === 'allocation size overflow' ||
              error.message === 'Invalid array length' ||
              error.message === 'invalid array length')) {
    error = __loveless_error(
      'L0002',
      'Expression evaluation exceeded the memory bound of the evaluator (' +
        __loveless_memory_mib + ' MiB)');
  }
  if (error === null || typeof error !== 'object') error = { message: String(error) };
  var code = typeof error.code === 'string' ? error.code : 'L0003';
  var message = typeof error.message === 'string' ? error.message : String(error);
  var position = typeof error.position === 'number' ? error.position : -1;
  return 'E' + JSON.stringify({ code: code, message: message, position: position });
}

// The answer line of a result: "V" + the result as JSON text, "U" when it is
// undefined, or an error line.
function __loveless_result_line(result) {
  // A function (a lambda or a built-in) has no JSON form: AWS fails such a
  // result as "an unsupported result type".
  if (typeof result === 'function' ||
      (result !== null && typeof result === 'object' && result._jsonata_lambda === true)) {
    return __loveless_error_line(
      __loveless_error('L0004', 'The expression returned a function, which JSON cannot represent'));
  }
  // JSON.stringify, as a JavaScript caller of jsonata serialises a result:
  // a function is undefined, inside an array null, inside an object left out.
  var text = JSON.stringify(result);
  return text === undefined ? 'U' : 'V' + text;
}

// expressionJson: the expression as a JSON string; inputJson, bindingsJson:
// JSON text. Starts the evaluation; its promise settles while C++ runs the
// job queue. Never throws: nothing but an engine limit escapes.
function __loveless_evaluate(expressionJson, inputJson, bindingsJson) {
  __loveless_depth = 0;
  __loveless_answer = null;
  try {
    var expression = __loveless_compile(JSON.parse(expressionJson));
    var bindings = JSON.parse(bindingsJson);
    expression.evaluate(JSON.parse(inputJson), bindings).then(
      function (result) {
        try {
          __loveless_answer = __loveless_result_line(result);
        } catch (e) {
          __loveless_answer = __loveless_error_line(e);
        }
      },
      function (error) {
        __loveless_answer = __loveless_error_line(error);
      });
  } catch (e) {
    __loveless_answer = __loveless_error_line(e);
  }
}

// Compiles the expression: the answer is "" when it compiles, else an error line.
function __loveless_check_syntax(expressionJson) {
  try {
    __loveless_compile(JSON.parse(expressionJson));
    __loveless_answer = '';
  } catch (e) {
    __loveless_answer = __loveless_error_line(e);
  }
}

// The answer of the last call once the job queue is empty. Still pending:
// the queue stopped (the time bound) before the evaluation settled.
function __loveless_outcome() {
  var answer = __loveless_answer;
  __loveless_answer = null;
  if (answer === null) {
    return __loveless_error_line(
      __loveless_error('L0001', 'Expression evaluation timeout: Check for infinite loop'));
  }
  return answer;
}
