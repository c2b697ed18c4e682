/** A query and candidate passages about bank policies, shared by the rerank checks. */
export const policyQuery = 'What is the early repayment fee on a home loan?';

/** Eight short passages; the second answers {@link policyQuery}, the others do not. */
export const policyDocuments: readonly string[] = [
  'Branches are open from 8 am to 5 pm on weekdays and until noon on Saturdays.',
  'Repaying a home loan early costs an early repayment fee of 2% of the outstanding principal.',
  'Credit card holders can raise a dispute within 60 days of the statement date.',
  'Savings accounts earn interest monthly, credited on the last business day.',
  'Lost cards must be reported at once through the app or the hotline.',
  'Wire transfers abroad take one to three business days to arrive.',
  'Overdraft protection links a savings account to a current account.',
  'Mobile banking supports fingerprint and face login on recent phones.',
];

/** Index of the passage in {@link policyDocuments} that answers {@link policyQuery}. */
export const relevantPolicyIndex = 1;
