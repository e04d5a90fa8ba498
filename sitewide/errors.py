class ActionRefused(Exception):
    """An action the rules refuse, with a message the person can act on (and the HTTP ``status``).

    Services raise it; views turn it into a 4xx answer (or a form error) that shows ``message``.
    """

    status = 400

    def __init__(self, message, *, status: int | None = None):
        super().__init__(str(message))
        self.message = message
        if status is not None:
            self.status = status
