// Loaded first into every Duktape heap (core/jsonata/src/heap.cpp): what
// the Promise polyfill and jsonata's ES5 build expect of the engine and
// Duktape 2.7 lacks. ES5 only.

// jsonata 2.x evaluates through Promises; the polyfill schedules their
// reactions with setImmediate, and Duktape has no event loop: the reactions
// go to a queue that __loveless_evaluate drains before it returns.
var __loveless_jobs = [];
function setImmediate(callback) {
  var args = Array.prototype.slice.call(arguments, 1);
  __loveless_jobs.push(function () {
    callback.apply(null, args);
  });
}
function setTimeout(callback) {
  __loveless_jobs.push(callback);
}
function clearTimeout() {}

// jsonata splits strings into code points with for-of ($length, $substring,
// $pad count a character outside the BMP once); its ES5 build's for-of takes
// a string's [Symbol.iterator], which Duktape's strings lack, and would fall
// back to UTF-16 code units.
(function () {
  function codePoints() {
    var text = String(this);
    var at = 0;
    return {
      next: function () {
        if (at >= text.length) return { value: undefined, done: true };
        var first = text.charCodeAt(at);
        var size = 1;
        if (first >= 0xd800 && first <= 0xdbff && at + 1 < text.length) {
          var second = text.charCodeAt(at + 1);
          if (second >= 0xdc00 && second <= 0xdfff) size = 2;
        }
        var value = text.substr(at, size);
        at += size;
        return { value: value, done: false };
      }
    };
  }
  var key = typeof Symbol !== 'undefined' && Symbol.iterator ? Symbol.iterator : '@@iterator';
  Object.defineProperty(String.prototype, key, { value: codePoints, configurable: true, writable: true });
})();

// $base64encode and $base64decode take Node's Buffer when there is no
// window.btoa: its latin1 ('binary') and base64 conversions, as Node does them
// (latin1 keeps the low byte of each code unit; base64 decoding skips
// characters outside the alphabet and reads the URL-safe one too).
(function () {
  var alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function Bytes(bytes) {
    this.bytes = bytes;
  }
  Bytes.prototype.toString = function (encoding) {
    var bytes = this.bytes;
    var out = '';
    var i;
    if (encoding === 'base64') {
      for (i = 0; i < bytes.length; i += 3) {
        var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
        out += alphabet.charAt((n >> 18) & 63) + alphabet.charAt((n >> 12) & 63) +
          (i + 1 < bytes.length ? alphabet.charAt((n >> 6) & 63) : '=') +
          (i + 2 < bytes.length ? alphabet.charAt(n & 63) : '=');
      }
      return out;
    }
    for (i = 0; i < bytes.length; ++i) out += String.fromCharCode(bytes[i]);
    return out;
  };
  function fromBase64(text) {
    var bytes = [];
    var bits = 0;
    var count = 0;
    for (var i = 0; i < text.length; ++i) {
      var c = text.charAt(i);
      if (c === '=') break;
      var value = alphabet.indexOf(c === '-' ? '+' : c === '_' ? '/' : c);
      if (value < 0) continue;
      bits = (bits << 6) | value;
      count += 6;
      if (count >= 8) {
        count -= 8;
        bytes.push((bits >> count) & 0xff);
      }
    }
    return bytes;
  }
  global.Buffer = {
    from: function (text, encoding) {
      text = String(text);
      if (encoding === 'base64') return new Bytes(fromBase64(text));
      var bytes = [];
      for (var i = 0; i < text.length; ++i) bytes.push(text.charCodeAt(i) & 0xff);
      return new Bytes(bytes);
    }
  };
})();

// $toMillis reads ISO 8601 with Date.parse. Duktape's accepts fields out of
// range (month 13, day 32) and rolls them over, where V8, which AWS's and the
// reference's results come from, returns NaN.
(function () {
  var duktapeParse = Date.parse;
  var iso = /^([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?(Z|[+-]\d\d:\d\d)?$/;
  Date.parse = function (text) {
    var m = iso.exec(String(text));
    if (m && (m[2] === '00' || +m[2] > 12 || m[3] === '00' || +m[3] > 31 || +m[4] > 24 ||
              +m[5] > 59 || +m[6] > 59)) {
      return NaN;
    }
    return duktapeParse(text);
  };
})();
