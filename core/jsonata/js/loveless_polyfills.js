// Loaded first into every SpiderMonkey context (core/jsonata/src/heap.cpp):
// what jsonata expects of its host and a bare SpiderMonkey global lacks.

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

// $toMillis reads ISO 8601 with Date.parse. V8, which AWS's and the
// reference's results come from, takes any day up to 31 and rolls it over
// (2024-02-30 is March 1); SpiderMonkey returns NaN for a day beyond the
// month's last.
(function () {
  var nativeParse = Date.parse;
  var iso = /^([+-]\d{6}|\d{4})-(\d\d)-(\d\d)(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(Z|[+-]\d\d:\d\d)?$/;
  Date.parse = function (text) {
    var result = nativeParse(text);
    if (result === result) return result;
    var m = iso.exec(String(text));
    if (!m || +m[2] < 1 || +m[2] > 12 || +m[3] < 29 || +m[3] > 31) return result;
    var first = nativeParse(m[1] + '-' + m[2] + '-01' + (m[4] || '') + (m[5] || ''));
    if (first !== first) return result;
    if (m[4] && !m[5]) {
      // Local time: the day rolls over in local time, as V8's MakeDay does.
      var local = new Date(first);
      local.setDate(+m[3]);
      return local.getTime();
    }
    return first + (+m[3] - 1) * 86400000;
  };
})();
