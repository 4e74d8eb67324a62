// Self-check questions (docs/_ext/quiz.py): instant feedback on the page, no network.
// Multiple choice: choosing an option reveals why it is right or wrong and announces the verdict.
// Numeric: "Check" (or Enter) compares the number with the answer, within the tolerance.
// Without JavaScript the "Show the answer" toggle still holds every answer and explanation.
"use strict";

(() => {
  // The status line shows the verdict; screen readers also hear the explanation, which sighted
  // readers see next to the answer.
  const announce = (quiz, verdict, correct, explanation = "") => {
    const status = quiz.querySelector(".quiz-status");
    const spoken = document.createElement("span");
    spoken.className = "quiz-sr-only";
    spoken.textContent = explanation ? ` ${explanation}` : "";
    status.replaceChildren(document.createTextNode(verdict), spoken);
    quiz.classList.toggle("quiz-correct", correct);
    quiz.classList.toggle("quiz-wrong", !correct);
  };

  const setUpChoice = (quiz) => {
    const radios = quiz.querySelectorAll(".quiz-options input[type=radio]");
    radios.forEach((radio) => {
      radio.addEventListener("change", () => {
        radios.forEach((other) => {
          const why = document.getElementById(`${other.id}-why`);
          why.hidden = other !== radio;
          other.closest(".quiz-option").classList.toggle("quiz-chosen", other === radio);
        });
        const correct = radio.dataset.correct === "true";
        const explanation = document.getElementById(`${radio.id}-why`).cloneNode(true);
        explanation.querySelector("strong")?.remove(); // the verdict, said in the status already
        const why = explanation.textContent.trim();
        announce(quiz, correct ? "Correct." : "Not quite: try another answer.", correct, why);
      });
    });
  };

  const setUpNumber = (quiz) => {
    const input = quiz.querySelector(".quiz-field input");
    const button = quiz.querySelector(".quiz-check");
    const why = quiz.querySelector(":scope > .quiz-why");
    const answer = Number(quiz.dataset.answer);
    const tolerance = Number(quiz.dataset.tolerance);
    const check = () => {
      const given = Number(input.value.replace(",", "."));
      if (input.value.trim() === "" || !Number.isFinite(given)) {
        announce(quiz, "Type a number first.", false);
        return;
      }
      const correct = Math.abs(given - answer) <= tolerance + 1e-12 * Math.abs(answer);
      why.hidden = !correct;
      if (correct) {
        announce(quiz, "Correct.", true, why.textContent.trim());
      } else {
        announce(quiz, `Not quite: ${given} is too ${given > answer ? "high" : "low"}. Try again.`, false);
      }
    };
    button.addEventListener("click", check);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        check();
      }
    });
  };

  const setUp = () => {
    document.querySelectorAll(".quiz[data-kind=choice]").forEach(setUpChoice);
    document.querySelectorAll(".quiz[data-kind=number]").forEach(setUpNumber);
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
