// Company sign-in settings: show the fields of the chosen protocol only (without
// JavaScript, both fieldsets show and the other's fields are ignored).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".co-sso-form");
  if (!form) return;
  const radios = form.querySelectorAll('input[name="protocol"]');
  const show = () => {
    const chosen = form.querySelector('input[name="protocol"]:checked');
    form.querySelectorAll(".co-sso-protocol").forEach((fieldset) => {
      fieldset.hidden = chosen !== null && fieldset.dataset.protocol !== chosen.value;
    });
  };
  radios.forEach((radio) => radio.addEventListener("change", show));
  show();
});
