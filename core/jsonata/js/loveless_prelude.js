// Loaded into every Duktape heap after loveless_polyfills.js, the Promise
// polyfill and jsonata's ES5 build (core/jsonata/src/heap.cpp). ES5 only: Duktape 2.7 has no ES2015
// syntax. The C++ side calls __loveless_evaluate and __loveless_check_syntax
// and provides the natives __loveless_over_budget, __loveless_digest and
// __loveless_uuid (src/native_functions.cpp).

Promise._immediateFn = setImmediate;
Promise._unhandledRejectionFn = function () {};

// Compiled expressions of this heap by expression text: compiling costs more
// than a small evaluation. Emptied when it holds kCacheLimit entries, which
// bounds the heap's memory without the bookkeeping of an LRU.
var __loveless_cache = {};
var __loveless_cache_size = 0;
var __loveless_cache_limit = 256;

// The evaluation's recursion depth, which the evaluation hooks count as
// jsonata's own test harness does (test/run-test-suite.js, timeboxExpression).
var __loveless_depth = 0;
var __loveless_max_depth = 500;

function __loveless_error(code, message) {
  return { code: code, message: message, position: -1 };
}

function __loveless_check_bounds() {
  if (__loveless_depth > __loveless_max_depth) {
    throw __loveless_error(
      'L0001',
      'Stack overflow error: the expression nests deeper than ' + __loveless_max_depth +
        ' evaluation levels. Check for non-terminating recursive function.');
  }
  if (__loveless_over_budget()) {
    throw __loveless_error('L0001', 'Expression evaluation timeout: Check for infinite loop');
  }
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
    __loveless_depth++;
    __loveless_check_bounds();
  });
  expression.assign(Symbol.for('jsonata.__evaluate_exit'), function (expr, input, environment) {
    if (environment.isParallelCall) return;
    __loveless_depth--;
    __loveless_check_bounds();
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
// A JavaScript error that is not jsonata's (a RangeError of Duktape) has no
// code: L0003.
function __loveless_error_line(error) {
  if (error === null || typeof error !== 'object') error = { message: String(error) };
  var code = typeof error.code === 'string' ? error.code : 'L0003';
  var message = typeof error.message === 'string' ? error.message : String(error);
  var position = typeof error.position === 'number' ? error.position : -1;
  return 'E' + JSON.stringify({ code: code, message: message, position: position });
}

// expressionJson: the expression as a JSON string; inputJson, bindingsJson:
// JSON text. Both are ASCII (non-ASCII as \u escapes), so that Duktape builds
// the UTF-16 strings JavaScript has, surrogate pairs included.
// Returns "V" + the result as JSON text, "U" when it is undefined, or an
// error line. Never throws: nothing but an allocation failure escapes.
function __loveless_evaluate(expressionJson, inputJson, bindingsJson) {
  __loveless_depth = 0;
  __loveless_jobs = [];
  var outcome = null;
  try {
    var expression = __loveless_compile(JSON.parse(expressionJson));
    var bindings = JSON.parse(bindingsJson);
    expression.evaluate(JSON.parse(inputJson), bindings).then(
      function (result) {
        outcome = { result: result };
      },
      function (error) {
        outcome = { error: error };
      });
    while (__loveless_jobs.length > 0 && !__loveless_over_budget()) __loveless_jobs.shift()();
  } catch (e) {
    return __loveless_error_line(e);
  }
  __loveless_jobs = [];
  if (outcome === null) {
    return __loveless_error_line(
      __loveless_error('L0001', 'Expression evaluation timeout: Check for infinite loop'));
  }
  if (outcome.error !== undefined) return __loveless_error_line(outcome.error);
  // A function (a lambda or a built-in) has no JSON form: AWS fails such a
  // result as "an unsupported result type".
  var result = outcome.result;
  if (typeof result === 'function' ||
      (result !== null && typeof result === 'object' && result._jsonata_lambda === true)) {
    return __loveless_error_line(
      __loveless_error('L0004', 'The expression returned a function, which JSON cannot represent'));
  }
  // JSON.stringify, as a JavaScript caller of jsonata serialises a result:
  // a function is undefined, inside an array null, inside an object left out.
  var text = JSON.stringify(outcome.result);
  return text === undefined ? 'U' : 'V' + text;
}

// Returns "" when the expression compiles, else an error line.
function __loveless_check_syntax(expressionJson) {
  try {
    __loveless_compile(JSON.parse(expressionJson));
    return '';
  } catch (e) {
    return __loveless_error_line(e);
  }
}
