// Shared by every HTTP server of the app (browser mode, the webhook receiver).
/** What to answer a request Node could not parse (headers too large: 431; anything else: 400). */
export function clientErrorResponse(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  const status =
    code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}
