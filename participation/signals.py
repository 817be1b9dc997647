"""Signals the spine emits; notifications and other reactions subscribe, the emitter does not call them."""
from blinker import Namespace

_signals = Namespace()

case_opened = _signals.signal("case-opened")  # sender: Case
response_recorded = _signals.signal("response-recorded")  # sender: Response
inbox_opening = _signals.signal("inbox-opening")  # sender: Institution; channels finish due closing steps first
