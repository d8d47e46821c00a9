// The AWS Gateway API Controller's recommended IAM policy
// (files/controller-installation/recommended-inline-policy.json of
// aws/aws-application-networking-k8s at v2.1.3, read 2026-11-24), as data. `vpc-lattice:*` is the
// controller's own choice: it creates and deletes services, listeners, rules and target groups
// whose ids it cannot know in advance.
export const LATTICE_CONTROLLER_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'vpc-lattice:*', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeTags', 'ec2:DescribeSecurityGroups',
        'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:DescribeLogGroups', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies',
        'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'tag:GetResources', 'firehose:TagDeliveryStream',
        's3:GetBucketPolicy', 's3:PutBucketPolicy', 'tag:TagResources', 'tag:UntagResources', 'acm:ListCertificates',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: 'arn:aws:iam::*:role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice',
      Condition: { StringLike: { 'iam:AWSServiceName': 'vpc-lattice.amazonaws.com' } },
    },
    {
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: 'arn:aws:iam::*:role/aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery',
      Condition: { StringLike: { 'iam:AWSServiceName': 'delivery.logs.amazonaws.com' } },
    },
  ],
};
