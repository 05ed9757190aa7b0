// @ts-check

/**
 * After a POST, a redirect is "see other" (303): the browser then asks for the next page with a
 * GET. A page Next.js renders after a form's action (without JavaScript, it renders the page the
 * form was on) redirects with 307 when the page decides to (a session the action ended is sent to
 * sign in), and a 307 has the browser send the form again, to the page it is sent to: the sign-in
 * page answered that with Next.js's bare "Server Action unavailable." No form of ours is meant to be
 * sent anywhere but where it was posted. (308 is left alone: the same address normalised; the portal
 * never calls permanentRedirect.)
 * @param {import('node:http').IncomingMessage} request @param {import('node:http').ServerResponse} response
 */
export function seeOtherAfterPost(request, response) {
  if (request.method !== 'POST') return;
  const writeHead = response.writeHead;
  response.writeHead = /** @type {typeof writeHead} */ (
    function writeHeadSeeOther(/** @type {number} */ status, /** @type {any[]} */ ...rest) {
      if (status !== 307) return writeHead.call(response, status, ...rest);
      // Its reason phrase, if given, was the 307's.
      return writeHead.call(response, 303, ...rest.filter((arg) => typeof arg !== 'string'));
    }
  );
}
