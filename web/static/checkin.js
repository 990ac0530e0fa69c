// The check-in page's script (no framework, no other file): it takes the
// position from the browser (high accuracy) and shows its accuracy or why
// there is none, makes the photos smaller before upload, and posts the
// form with its CSRF token in a header. A failed post leaves the form as
// it was: sending it again carries the same request id, and the server
// never checks in twice. Every sentence comes from the page (data-*
// attributes of the form), in the page's language. Without this script
// the form posts as it is.
(function () {
  'use strict';

  function say(el, text, cls) {
    if (!el) return;
    el.textContent = text || '';
    el.className = 'hint' + (cls ? ' ' + cls : '');
  }

  function deviceId() {
    try {
      var id = localStorage.getItem('trustmark-device');
      if (!id) {
        var b = new Uint8Array(16);
        crypto.getRandomValues(b);
        id = Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
        localStorage.setItem('trustmark-device', id);
      }
      return id;
    } catch (e) {
      return '';
    }
  }

  // shrink returns a JPEG of file at most 1600 pixels on its long side,
  // or file itself when it cannot be read as an image or is already small.
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type) || typeof createImageBitmap !== 'function') {
        resolve(file);
        return;
      }
      createImageBitmap(file).then(function (bmp) {
        var s = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
        var c = document.createElement('canvas');
        c.width = Math.max(1, Math.round(bmp.width * s));
        c.height = Math.max(1, Math.round(bmp.height * s));
        c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
        c.toBlob(function (b) { resolve(b && b.size < file.size ? b : file); }, 'image/jpeg', 0.8);
      }).catch(function () { resolve(file); });
    });
  }

  function init() {
    var form = document.getElementById('checkin');
    if (!form) return;
    var msg = form.dataset;
    var el = form.elements;
    var where = document.getElementById('locate-status');
    var sent = document.getElementById('send-status');
    var locate = document.getElementById('locate');
    var submit = document.getElementById('checkin-submit');

    function position() {
      if (!navigator.geolocation) {
        say(where, msg.unsupported, 'bad');
        return;
      }
      say(where, msg.locating);
      navigator.geolocation.getCurrentPosition(function (p) {
        el.lat.value = p.coords.latitude.toFixed(6);
        el.lng.value = p.coords.longitude.toFixed(6);
        el.accuracy_m.value = Math.round(p.coords.accuracy);
        say(where, msg.located.replace('%s', Math.round(p.coords.accuracy)), 'ok');
      }, function (e) {
        say(where, e.code === 1 ? msg.denied : e.code === 3 ? msg.timeout : msg.unavailable, 'bad');
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
    }

    el.device_id.value = deviceId();
    locate.hidden = false;
    locate.addEventListener('click', position);
    position();

    var sending = false;
    form.addEventListener('submit', function (ev) {
      if (!window.fetch || !window.FormData || !window.Promise || !window.DOMParser) return;
      ev.preventDefault();
      if (sending) return;
      sending = true;
      submit.disabled = true;
      el.device_time.value = new Date().toISOString();
      var files = Array.prototype.slice.call(el.photos.files || []);
      say(sent, files.length ? msg.resizing : msg.sending);
      Promise.all(files.map(shrink)).then(function (blobs) {
        var fd = new FormData(form);
        fd.delete('photos');
        blobs.forEach(function (b, i) { fd.append('photos', b, 'photo-' + (i + 1) + '.jpg'); });
        say(sent, msg.sending);
        // A stalled connection is given up after two minutes, so that the
        // auditor can send again (with the same request id).
        var abort = window.AbortController ? new AbortController() : null;
        if (abort) setTimeout(function () { abort.abort(); }, 120000);
        return fetch(form.action, {
          method: 'POST', body: fd, credentials: 'same-origin',
          headers: { 'X-CSRF-Token': el.csrf.value },
          signal: abort ? abort.signal : undefined
        });
      }).then(function (res) {
        return res.text();
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var main = doc.querySelector('main');
        if (!main) throw new Error('no page');
        document.title = doc.title;
        document.querySelector('main').replaceWith(main);
        window.scrollTo(0, 0);
        init();
      }).catch(function () {
        sending = false;
        submit.disabled = false;
        say(sent, msg.failed, 'bad');
      });
    });
  }

  init();
})();
