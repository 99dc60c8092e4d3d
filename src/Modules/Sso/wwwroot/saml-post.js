// Sends the SAML HTTP-POST binding form to the identity provider as soon as the page loads (the button remains for no-script).
document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('saml-post');
    if (form) { form.submit(); }
});
