"""Cards G1 refined over a run, from its log (-Xlog:gc+refine+stats=debug,gc+phases=debug).

    cards.py GC_LOG MESSAGES

Refined = the concurrent refinement thread's and the mutators' "refined" counts between pauses, plus the dirty
cards left for each young pause ("Dirty Cards" of "Log Buffers"). Each is one card (512 bytes of an old region)
that a store of a reference had dirtied since it was last cleaned.
"""
import re
import sys

refined = at_pauses = pauses = 0
for line in open(sys.argv[1]):
    m = re.search(r'(Concurrent|Mutator) refinement: [\d.]+ms, refined: (\d+)', line)
    if m:
        refined += int(m.group(2))
    m = re.search(r'     Dirty Cards: .*Sum: (\d+)', line)
    if m:
        at_pauses += int(m.group(1))
        pauses += 1
total = refined + at_pauses
messages = int(sys.argv[2])
print(f"cards: refined {refined} + at pauses {at_pauses} = {total} over {pauses} pauses; "
      f"{total / messages:.2f} per message ({messages})")
