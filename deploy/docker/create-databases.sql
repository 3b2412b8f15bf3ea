-- One database per service, as deploy/mesh creates them.
CREATE DATABASE accounts;
CREATE DATABASE track;
CREATE DATABASE plan;
CREATE DATABASE work;
