// Puppeteer's own postinstall download needs the open internet. decksmith finds a browser in
// scripts/postinstall.mjs instead (system Chrome/Chromium first, then Puppeteer's download,
// then the distribution package), and that step never fails `npm install`.
module.exports = { skipDownload: true };
