/** DeckTape depends on puppeteer, whose browser download cannot work here: the bench uses the system Chromium. */
module.exports = { skipDownload: true };
